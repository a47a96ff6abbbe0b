//! The human form of a verdict: owner, status, score, reasons, runner-up, and the request with
//! its matches highlighted. Colour comes from `colored`, whose on/off switch the binary sets once.

use std::io::{self, Write};

use colored::{Color, Colorize};

use super::{evidence_line, field_note, listed, number, signed, FLOOR_LABEL};
use crate::classify::{Match, Request, Status, Verdict};
use crate::rules::RuleSet;

/// The colour of a function, by its position in the rule file.
pub fn function_color(index: usize) -> Color {
    const PALETTE: [Color; 6] =
        [Color::Magenta, Color::Green, Color::Cyan, Color::Yellow, Color::Blue, Color::Red];
    PALETTE[index % PALETTE.len()]
}

fn status_text(status: Status) -> colored::ColoredString {
    match status {
        Status::Assigned => status.as_str().green(),
        Status::Mixed => status.as_str().yellow(),
        Status::Unassigned => status.as_str().red(),
    }
}

/// Print a verdict for a person: a headline, then one line per rule that counted, grouped by
/// function (highest score first), and a floor line where counter-evidence outweighed evidence.
pub fn verdict<W: Write>(out: &mut W, verdict: &Verdict, rules: &RuleSet) -> io::Result<()> {
    match verdict.owner {
        Some(index) => {
            let function = &rules.functions[index];
            write!(
                out,
                "{}  {}  score {}",
                function.name.color(function_color(index)).bold(),
                status_text(verdict.status),
                number(verdict.score),
            )?;
            match function.focus.as_str() {
                "" => writeln!(out)?,
                focus => writeln!(out, "  ({focus})")?,
            }
        }
        None => writeln!(
            out,
            "{}  score {} ({})",
            status_text(verdict.status).bold(),
            number(verdict.score),
            super::no_owner_note(verdict, rules),
        )?,
    }
    let groups = listed(verdict);
    let name_width = verdict
        .contributions
        .iter()
        .map(|c| rules.rule(c.function, c.rule).name.chars().count())
        .chain(groups.iter().filter(|g| g.floor > 0.0).map(|_| FLOOR_LABEL.len() + 2))
        .max()
        .unwrap_or(0)
        .min(40);
    for group in &groups {
        let id = rules.voter_id(group.function).color(function_color(group.function));
        for contribution in &group.contributions {
            let rule = rules.rule(contribution.function, contribution.rule);
            let evidence = evidence_line(verdict, contribution);
            write!(
                out,
                "  {:>5}  {:<name_width$}  {id:<10}  {evidence:?}",
                signed(contribution.points),
                rule.name
            )?;
            match field_note(contribution) {
                Some(note) => writeln!(out, "  ({note})")?,
                None => writeln!(out)?,
            }
        }
        if group.floor > 0.0 {
            let label = format!("({FLOOR_LABEL})");
            writeln!(out, "  {:>5}  {label:<name_width$}  {id}", signed(group.floor))?;
        }
    }
    let runner_up = match verdict.owner {
        Some(_) => verdict.runner_up,
        // With no owner, the closest function is the most useful hint.
        None => verdict.leaning(),
    };
    if let Some(index) = runner_up {
        let label = if verdict.owner.is_some() { "runner-up" } else { "closest" };
        writeln!(
            out,
            "  {label}: {} {}",
            rules.functions[index].name.color(function_color(index)),
            number(verdict.scores[index]),
        )?;
    }
    if let Some(note) = verdict.language.and_then(|detected| detected.note()) {
        writeln!(out, "  {}: {note}", "note".bold())?;
    }
    Ok(())
}

/// Print the request with each match highlighted in its function's colour. Without colour,
/// matches are bracketed and tagged: `[SDK](devrel)`.
pub fn explain<W: Write>(
    out: &mut W,
    request: &Request,
    verdict: &Verdict,
    rules: &RuleSet,
    colour: bool,
) -> io::Result<()> {
    for (part_index, part) in request.parts().iter().enumerate() {
        if request.parts().len() > 1 {
            writeln!(out, "{}:", part.field.as_str().bold())?;
        }
        let text = part.text.as_ref();
        // Where spans overlap, the earliest wins; at one start, evidence for a function beats
        // counter-evidence, then the longer span.
        let mut matches: Vec<&Match> =
            verdict.matches.iter().filter(|m| m.part == part_index && m.counted()).collect();
        matches.sort_by_key(|m| (m.start, m.weight < 0.0, std::cmp::Reverse(m.end)));
        let mut cursor = 0;
        for found in matches {
            if found.start < cursor {
                continue; // overlaps an earlier highlight
            }
            out.write_all(&text.as_bytes()[cursor..found.start])?;
            let matched = &text[found.start..found.end];
            if colour {
                write!(out, "{}", matched.color(function_color(found.function)).bold().underline())?;
            } else {
                write!(out, "[{matched}]({})", rules.voter_id(found.function))?;
            }
            cursor = found.end;
        }
        out.write_all(&text.as_bytes()[cursor..])?;
        if !text.ends_with('\n') {
            writeln!(out)?;
        }
    }
    Ok(())
}
