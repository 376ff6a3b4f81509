//! Finding 5: CSV formula injection. Participants named and answering like spreadsheet
//! formulas (`=`, `+`, `-`, `@`), a proposal that does too, then every CSV the server
//! writes (responses, the plan, the breakout list) read back: held when no cell starts
//! with a character a spreadsheet would run.

use anyhow::{Context, Result, bail};
use serde_json::json;

use super::{AbuseArgs, Ctx, Verdict, command};
use crate::client;

/// What the attackers type.
const PAYLOADS: [&str; 4] = [
    "=HYPERLINK(\"http://evil.example/\",\"click\")",
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
];

/// Cells a spreadsheet would run.
fn dangerous(cell: &str) -> bool {
    cell.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

pub async fn run(ctx: &Ctx, _args: &AbuseArgs) -> Result<Verdict> {
    let (ex, mut console) = ctx.running_exercise().await?;
    for (i, payload) in PAYLOADS.iter().enumerate() {
        let mut ws = ctx.connector.connect().await?;
        let name: String = payload.chars().take(40).collect();
        let welcome = client::hello(&mut ws, &json!({"type": "join", "join_code": ex.join_code, "name": name})).await;
        if welcome.is_err() {
            // A name refused outright cannot reach a spreadsheet; answer under a plain one.
            ws = ctx.connector.connect().await?;
            client::hello(&mut ws, &json!({"type": "join", "join_code": ex.join_code, "name": format!("Payload {i}")}))
                .await?;
        }
        let answer = json!({"type": "respond", "inject_id": crate::scenario::inject_id(1), "text": payload,
            "client_msg_id": format!("csv-{i}")});
        command(&mut ws, &answer).await?;
        let item = json!({"issue": payload, "corrective_action": payload, "capability": "planning", "group_id": "risk",
            "owner": payload});
        command(&mut console, &json!({"type": "accept_improvement", "item": item, "client_msg_id": format!("i{i}")}))
            .await?;
    }
    let mut checked = Vec::new();
    let mut bad = Vec::new();
    for path in [
        format!("/api/exercises/{}/export?format=csv", ex.id),
        format!("/api/exercises/{}/export?format=plan-csv", ex.id),
        format!("/api/exercises/{}/breakouts.csv", ex.id),
    ] {
        let (status, body) = ctx.target.endpoint.request("GET", &path, Some(&ex.key), None).await?;
        if status != 200 {
            bail!("GET {path} answered {status}: {body}");
        }
        let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(body.as_bytes());
        let mut cells = 0;
        for record in reader.records() {
            let record = record.with_context(|| format!("{path} is not CSV"))?;
            for cell in &record {
                cells += 1;
                if dangerous(cell) {
                    bad.push(format!("{path}: {cell:?}"));
                }
            }
        }
        let carried = PAYLOADS.iter().filter(|p| body.contains(&p[1..10])).count();
        checked.push(json!({"path": path, "cells": cells, "payloads_present": carried}));
    }
    let held = bad.is_empty();
    let detail = if held {
        format!(
            "{} payloads as names, answers and plan items; every cell of the 3 CSV files reads as text",
            PAYLOADS.len()
        )
    } else {
        format!("cells a spreadsheet would run: {}", bad.join("; "))
    };
    Ok(Verdict {
        finding: 5,
        title: "CSV formula injection",
        held,
        detail,
        figures: json!({"files": checked, "dangerous_cells": bad}),
    })
}
