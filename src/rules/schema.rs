//! The JSON Schema of the rule format, so editors (yaml-language-server) validate and complete
//! rule files as they are typed. Kept beside the raw structs it describes.

use serde_json::{json, Value};

/// JSON Schema (draft 2020-12) of a version 1 rule file.
pub fn schema() -> Value {
    let weight = json!({
        "type": "number",
        "not": { "const": 0 },
        "minimum": -super::limits::MAX_WEIGHT,
        "maximum": super::limits::MAX_WEIGHT,
        "description": "How decisive the rule is; negative weights are counter-evidence. Non-zero, at most 1000000 either way."
    });
    let languages = crate::language::known_codes();
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://github.com/request-triage/triage/rules.schema.json",
        "title": "triage rule file",
        "type": "object",
        "additionalProperties": false,
        "required": ["version", "functions"],
        "properties": {
            "version": { "const": 1, "description": "Rule format version." },
            "threshold": {
                "type": "number", "exclusiveMinimum": 0, "default": 2.0,
                "description": "Minimum score for a request to get an owner."
            },
            "mixed_ratio": {
                "type": "number", "exclusiveMinimum": 0, "maximum": 1, "default": 0.75,
                "description": "Runner-up score / top score at or above this makes the verdict mixed."
            },
            "single_rule_threshold": {
                "type": "number", "exclusiveMinimum": 0,
                "description": "The score a function needs when a single rule is all its evidence (one weak word is too little to name an owner). Default: the threshold (no extra requirement); the built-in rules use 3."
            },
            "fields": {
                "type": "object",
                "additionalProperties": false,
                "description": "Weight of a match by the field it is found in.",
                "properties": {
                    "title": { "type": "number", "exclusiveMinimum": 0, "maximum": super::limits::MAX_WEIGHT, "default": 2.0 },
                    "body": { "type": "number", "exclusiveMinimum": 0, "maximum": super::limits::MAX_WEIGHT, "default": 1.0 }
                }
            },
            "languages": {
                "type": "array",
                "minItems": 1,
                "uniqueItems": true,
                "default": ["en"],
                "description": "Languages the rules are written for, as ISO 639-1 codes (`triage` also reads ISO 639-3 codes and any case). An unassigned request detected in another language gets a note saying the rules do not cover it. Absent: English only.",
                "items": { "type": "string", "enum": languages }
            },
            "none": {
                "type": "object",
                "additionalProperties": false,
                "anyOf": [{ "required": ["keywords"] }, { "required": ["patterns"] }],
                "description": "Evidence that a request belongs to no function (billing, spam, thanks ...): when it scores at least the threshold and at least the top function, the request is unassigned.",
                "properties": {
                    "keywords": { "$ref": "#/$defs/keywords" },
                    "patterns": { "$ref": "#/$defs/patterns" },
                    "examples": {
                        "type": "array", "items": { "type": "string" },
                        "description": "Requests that must come out unassigned (`triage rules test`)."
                    }
                }
            },
            "functions": {
                "type": "array",
                "minItems": 1,
                "items": { "$ref": "#/$defs/function" }
            },
            "tests": {
                "type": "array",
                "items": {
                    "type": "object",
                    "additionalProperties": false,
                    "required": ["text", "expect"],
                    "properties": {
                        "text": { "type": "string" },
                        "title": { "type": "string" },
                        "expect": {
                            "type": "string",
                            "description": "A function id, `unassigned` or `mixed`."
                        }
                    }
                }
            }
        },
        "$defs": {
            "keywords": {
                "type": "array",
                "items": {
                    "oneOf": [
                        { "type": "string", "minLength": 1 },
                        {
                            "type": "object",
                            "additionalProperties": false,
                            "required": ["term"],
                            "properties": {
                                "term": { "type": "string", "minLength": 1 },
                                "weight": weight,
                                "unless": { "$ref": "#/$defs/unless" }
                            }
                        }
                    ]
                },
                "description": "Case-insensitive whole words or phrases; a trailing * is a prefix match."
            },
            "patterns": {
                "type": "array",
                "items": {
                    "type": "object",
                    "additionalProperties": false,
                    "required": ["regex"],
                    "properties": {
                        "regex": { "type": "string", "description": "Regex crate syntax, case-insensitive." },
                        "weight": weight,
                        "name": { "type": "string" },
                        "unless": { "$ref": "#/$defs/unless" }
                    }
                }
            },
            "unless": {
                "type": "array",
                "description": "Text in which the rule's word means something else: a match that overlaps one of these does not count (`event` inside `event loop`).",
                "items": {
                    "oneOf": [
                        { "type": "string", "minLength": 1, "description": "A phrase, matched like a keyword." },
                        {
                            "type": "object",
                            "additionalProperties": false,
                            "required": ["regex"],
                            "properties": { "regex": { "type": "string", "description": "Matched like a pattern." } }
                        }
                    ]
                }
            },
            "function": {
                "type": "object",
                "additionalProperties": false,
                "required": ["id"],
                "anyOf": [{ "required": ["keywords"] }, { "required": ["patterns"] }],
                "properties": {
                    "id": {
                        "type": "string", "pattern": "^[a-z][a-z0-9_-]*$",
                        "description": "Stable id used in output, labels and directives."
                    },
                    "name": { "type": "string", "description": "Display name." },
                    "focus": { "type": "string", "description": "The one word this function is about." },
                    "question": { "type": "string", "description": "The question this function answers." },
                    "labels": {
                        "type": "array", "items": { "type": "string" },
                        "description": "Issue labels that mean this function owns the request."
                    },
                    "keywords": { "$ref": "#/$defs/keywords" },
                    "patterns": { "$ref": "#/$defs/patterns" },
                    "examples": {
                        "type": "array", "items": { "type": "string" },
                        "description": "Requests that must route to this function (`triage rules test`)."
                    }
                }
            }
        }
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn schema_lists_every_top_level_key_the_loader_accepts() {
        let schema = super::schema();
        let keys: Vec<&String> = schema["properties"].as_object().unwrap().keys().collect();
        assert_eq!(
            keys,
            [
                "version",
                "threshold",
                "mixed_ratio",
                "single_rule_threshold",
                "fields",
                "languages",
                "none",
                "functions",
                "tests"
            ]
        );
        assert_eq!(schema["additionalProperties"], false);
    }
}
