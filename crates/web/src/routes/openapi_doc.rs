//! The OpenAPI 3.1 document for `/api/v1`. Written as data beside the route
//! table; a test checks that every API route in the table is documented, so
//! the two cannot drift apart.

use serde_json::{Value, json};

fn problem() -> Value {
    json!({"description": "Problem (RFC 9457)", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}})
}

fn ok(description: &str, schema: Value) -> Value {
    json!({"description": description, "content": {"application/json": {"schema": schema}}})
}

fn id_param(name: &str) -> Value {
    json!({"name": name, "in": "path", "required": true, "schema": {"type": "integer", "format": "int64"}})
}

fn query(name: &str, description: &str) -> Value {
    json!({"name": name, "in": "query", "required": false, "description": description, "schema": {"type": "string"}})
}

fn base_document() -> Value {
    let errors = |mut responses: serde_json::Map<String, Value>| {
        for code in ["401", "403", "404", "422"] {
            responses.insert(code.into(), problem());
        }
        Value::Object(responses)
    };
    let one = |code: &str, v: Value| {
        let mut m = serde_json::Map::new();
        m.insert(code.into(), v);
        m
    };
    json!({
        "openapi": "3.1.0",
        "info": {"title": "Løft API", "version": "1",
                 "description": "Organisation and people of the region. Every answer is limited to what the token's owner may see."},
        "servers": [{"url": "/"}],
        "security": [{"bearer": []}],
        "paths": {
            "/api/v1/openapi.json": {"get": {"summary": "This document", "security": [], "responses": {"200": ok("OpenAPI document", json!({"type": "object"}))}}},
            "/api/v1/me": {"get": {"summary": "The token's owner", "responses": errors(one("200", ok("Person and roles", json!({"type": "object"}))))}},
            "/api/v1/municipalities": {"get": {"summary": "Municipalities", "responses": errors(one("200", ok("Municipalities", json!({"type": "object", "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Municipality"}}}}))))}},
            "/api/v1/municipalities/{id}/units": {"get": {"summary": "A municipality's unit tree, parents first", "parameters": [id_param("id")],
                "responses": errors(one("200", ok("Units", json!({"type": "object", "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Unit"}}}}))))}},
            "/api/v1/units": {"post": {"summary": "Create a unit", "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/NewUnit"}}}},
                "responses": errors(one("201", ok("The new unit", json!({"$ref": "#/components/schemas/Unit"}))))}},
            "/api/v1/units/{id}": {
                "get": {"summary": "A unit with its history", "parameters": [id_param("id")],
                    "responses": errors(one("200", ok("Unit and history", json!({"type": "object"}))))},
                "patch": {"summary": "Rename, move or close a unit: exactly one of name, parent_id, closed=true",
                    "parameters": [id_param("id")],
                    "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "additionalProperties": false,
                        "properties": {"name": {"type": "string"}, "parent_id": {"type": "integer"}, "closed": {"const": true}}}}}},
                    "responses": errors(one("200", ok("The unit after the change", json!({"type": "object"}))))}
            },
            "/api/v1/people": {
                "get": {"summary": "Search people", "parameters": [
                    query("q", "Name prefix (family or given), e-mail prefix or exact employee number"),
                    query("municipality", "Municipality id"), query("unit", "Unit id (includes the units under it)"),
                    query("group", "Role group: ansatt, leder, folkevalgt, tillitsvalgt, radmann, innkjoper"),
                    query("status", "active (default), left or all"), query("sort", "name (default), municipality or number"),
                    query("page", "1-based page, 50 per page")],
                    "responses": errors(one("200", ok("A page of people", json!({"type": "object", "properties": {
                        "items": {"type": "array", "items": {"$ref": "#/components/schemas/PersonSummary"}},
                        "total": {"type": "integer", "description": "Matches counted; a lower bound when total_is_lower_bound"},
                        "total_is_lower_bound": {"type": "boolean"}, "page": {"type": "integer"}, "per_page": {"type": "integer"}}}))))},
                "post": {"summary": "Register a person by hand (elected officials, union representatives)",
                    "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/NewPerson"}}}},
                    "responses": errors(one("201", ok("The new person", json!({"type": "object"}))))}
            },
            "/api/v1/people/{id}": {
                "get": {"summary": "A person with units, role groups and roles", "parameters": [id_param("id")],
                    "responses": errors(one("200", ok("Person", json!({"type": "object"}))))},
                "patch": {"summary": "Correct given_name/family_name/email, or set active; not both in one request",
                    "parameters": [id_param("id")],
                    "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "additionalProperties": false,
                        "properties": {"given_name": {"type": "string"}, "family_name": {"type": "string"}, "email": {"type": "string"}, "active": {"type": "boolean"}}}}}},
                    "responses": errors(one("200", ok("The person after the change", json!({"type": "object"}))))}
            },
            "/api/v1/audit": {"get": {"summary": "Audit log, newest first, 50 at a time", "parameters": [query("before", "Entries with an id below this")],
                "responses": errors(one("200", ok("Entries", json!({"type": "object"}))))}},
            "/api/v1/municipalities/{id}/imports": {
                "get": {"summary": "The municipality's HR imports, newest first", "parameters": [id_param("id")],
                    "responses": errors(one("200", ok("Imports", json!({"type": "object", "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/ImportRecord"}}}}))))},
                "post": {"summary": "Upload an HR export (CSV or XLSX) and get its preview. Nothing changes until it is applied; a refused file (unreadable, too large, columns that do not fit, another municipality's) is not recorded",
                    "parameters": [id_param("id"), query("file_name", "The file's name, required when the body is the raw file"),
                        query("mapping", "A column mapping as JSON, e.g. {\"employee_number\": \"Ansattnr\"}; else the saved mapping, else a guess from the headers")],
                    "requestBody": {"required": true, "content": {
                        "multipart/form-data": {"schema": {"type": "object", "required": ["file"], "properties": {
                            "file": {"type": "string", "format": "binary"}, "mapping": {"type": "string", "description": "Column mapping as JSON"}}}},
                        "text/csv": {"schema": {"type": "string", "format": "binary"}},
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {"schema": {"type": "string", "format": "binary"}}}},
                    "responses": errors(one("201", ok("The preview; Location names the import", json!({"$ref": "#/components/schemas/ImportPreview"}))))}
            },
            "/api/v1/imports/{id}": {"get": {"summary": "An import: its record, its stored plan (as previewed, or as applied with the values before) and a running or failed background apply",
                "parameters": [id_param("id")],
                "responses": errors(one("200", ok("Import", json!({"type": "object", "properties": {
                    "import": {"$ref": "#/components/schemas/ImportRecord"}, "plan": {"type": "object"},
                    "job": {"oneOf": [{"type": "null"}, {"$ref": "#/components/schemas/ImportJob"}]}}}))))}},
            "/api/v1/imports/{id}/apply": {"post": {"summary": "Apply a previewed import in one transaction, in the background; follow it with GET /api/v1/imports/{id}. Refused (422) while the file has invalid rows unless skip_invalid; 409 once applied or undone",
                "parameters": [id_param("id")],
                "requestBody": {"required": false, "content": {"application/json": {"schema": {"type": "object", "additionalProperties": false,
                    "properties": {"skip_invalid": {"type": "boolean", "default": false, "description": "Apply everything except the invalid rows"}}}}}},
                "responses": errors(one("202", ok("Started (or already running)", json!({"type": "object", "properties": {
                    "import_id": {"type": "integer"}, "job": {"$ref": "#/components/schemas/ImportJob"}}}))))}},
            "/api/v1/imports/{id}/undo": {"post": {"summary": "Undo an applied import while no newer import of the municipality is applied; 409 otherwise",
                "parameters": [id_param("id")],
                "responses": errors(one("200", ok("The import after the undo", json!({"type": "object", "properties": {"import": {"$ref": "#/components/schemas/ImportRecord"}}}))))}}
        },
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "description": "A personal API token from the account page"}},
            "schemas": {
                "Problem": {"type": "object", "properties": {"type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
                    "code": {"type": "string"}, "errors": {"type": "array", "items": {"type": "object", "properties": {
                        "field": {"type": "string"}, "code": {"type": "string"}, "message": {"type": "string"}}}}}},
                "Municipality": {"type": "object", "properties": {"id": {"type": "integer"}, "number": {"type": "string"}, "name": {"type": "string"},
                    "language_form": {"type": "string"}, "population": {"type": "integer"}, "organisation_visible": {"type": "boolean"}}},
                "Unit": {"type": "object", "properties": {"id": {"type": "integer"}, "municipality_id": {"type": "integer"}, "parent_id": {"type": ["integer", "null"]},
                    "name": {"type": "string"}, "code": {"type": ["string", "null"]}, "path": {"type": "string"}, "closed": {"type": "boolean"}}},
                "NewUnit": {"type": "object", "required": ["municipality_id", "name"], "properties": {"municipality_id": {"type": "integer"},
                    "parent_id": {"type": ["integer", "null"]}, "name": {"type": "string", "maxLength": 120}, "code": {"type": ["string", "null"]}}},
                "PersonSummary": {"type": "object", "properties": {"id": {"type": "integer"}, "municipality_id": {"type": "integer"}, "given_name": {"type": "string"},
                    "family_name": {"type": "string"}, "email": {"type": ["string", "null"]}, "employee_number": {"type": ["string", "null"]},
                    "active": {"type": "boolean"}, "municipality_name": {"type": "string"}}},
                "ImportRecord": {"type": "object", "properties": {"id": {"type": "integer"}, "municipality_id": {"type": "integer"},
                    "actor_person_id": {"type": ["integer", "null"]}, "created_at": {"type": "integer", "description": "Unix seconds"},
                    "file_name": {"type": "string"}, "file_sha256": {"type": "string"}, "format": {"type": "string", "enum": ["csv", "xlsx"]},
                    "status": {"type": "string", "enum": ["previewed", "applied", "undone"]}, "summary": {"$ref": "#/components/schemas/ImportSummary"},
                    "applied_at": {"type": ["integer", "null"]}, "undone_at": {"type": ["integer", "null"]}}},
                "ImportSummary": {"type": "object", "properties": {"rows": {"type": "integer"}, "invalid_rows": {"type": "integer"},
                    "new": {"type": "integer"}, "changed": {"type": "integer"}, "moved": {"type": "integer"}, "leaving": {"type": "integer"},
                    "returning": {"type": "integer"}, "unchanged": {"type": "integer"}, "units_to_create": {"type": "integer"}, "rejected": {"type": "integer"}}},
                "ImportPreview": {"type": "object", "properties": {"import_id": {"type": "integer"}, "format": {"type": "object"},
                    "encoding": {"type": ["string", "null"]}, "mapping": {"type": "object", "additionalProperties": {"type": "string"}},
                    "summary": {"$ref": "#/components/schemas/ImportSummary"},
                    "errors": {"type": "array", "description": "Every invalid or rejected row", "items": {"type": "object", "properties": {
                        "line": {"type": "integer"}, "column": {"type": ["string", "null"]}, "code": {"type": "string"}, "value": {"type": "string"}, "message": {"type": "string"}}}},
                    "plan": {"type": "object", "description": "new, changed, moved, leaving, returning, unchanged, units_to_create, rejected"}}},
                "ImportJob": {"type": "object", "properties": {"state": {"type": "string", "enum": ["running", "failed"]},
                    "done": {"type": "integer"}, "total": {"type": "integer"}, "code": {"type": "string"}, "message": {"type": "string"}}},
                "NewPerson": {"type": "object", "required": ["municipality_id", "given_name", "family_name"], "properties": {
                    "municipality_id": {"type": "integer"}, "given_name": {"type": "string"}, "family_name": {"type": "string"},
                    "email": {"type": "string"}, "employee_number": {"type": "string"}, "role_groups": {"type": "array", "items": {"type": "string"}}}}
            }
        }
    })
}

pub fn document() -> Value {
    let mut doc = base_document();
    let errors = || {
        let mut m = serde_json::Map::new();
        for code in ["401", "403", "404"] {
            m.insert(code.into(), problem());
        }
        m
    };
    let with = |code: &str, v: Value| {
        let mut m = errors();
        m.insert(code.into(), v);
        Value::Object(m)
    };
    let figure = json!({"$ref": "#/components/schemas/Figure"});
    let competence_figures = json!({"type": "array", "items": {"type": "object", "properties": {
        "framework_id": {"type": "integer"}, "competence": {"type": "string"},
        "self_assessed": figure,
        "tested": {"oneOf": [{"type": "null"}, figure], "description": "From the round's knowledge checks; null when it asks none about this competence. Never averaged with the self-assessed level"}}}});
    let rate = json!({"type": "object", "properties": {"node": {"type": "string"}, "name": {"type": "string"},
        "status": {"type": "string", "enum": ["shown", "hidden"]}, "invited": {"type": "integer"}, "answered": {"type": "integer"},
        "rate": {"type": "number", "description": "0–1"}}, "description": "A hidden node has no numbers"});
    let enrolment = json!({"type": "object", "properties": {"enrolment_id": {"type": "integer"}, "session_id": {"type": "integer"},
        "person_id": {"type": "integer"}, "state": {"type": "string", "enum": ["confirmed", "offered", "waitlisted", "pending"]},
        "expires_at": {"type": "string", "format": "date-time", "description": "Offered: a freed seat is held until then (accepted on the course page)"},
        "position": {"type": "integer", "description": "Waitlisted: the place in arrival order"}, "of": {"type": "integer", "description": "Waitlisted: how many wait"},
        "already": {"type": "boolean"}, "overlaps": {"type": "array", "items": {"type": "object", "properties": {"course_id": {"type": "integer"}, "title": {"type": "string"}, "session_id": {"type": "integer"}}}}}});
    let paths = [
        (
            "/api/v1/mapping/rounds",
            json!({"get": {"summary": "Mapping rounds of the caller's region they may see (coordinators, report readers), newest first, and the rounds the caller is invited to",
            "responses": with("200", ok("Rounds", json!({"type": "object", "properties": {
                "items": {"type": "array", "items": {"$ref": "#/components/schemas/Round"}},
                "invited": {"type": "array", "items": {"type": "object", "properties": {"round_id": {"type": "integer"}, "name": {"type": "string"},
                    "answered": {"type": "boolean"}, "phase": {"type": "string", "enum": ["not-open", "open", "closed"]}}}}}})))}}),
        ),
        (
            "/api/v1/mapping/rounds/{id}",
            json!({"get": {"summary": "One mapping round", "parameters": [id_param("id")],
            "responses": with("200", ok("Round", json!({"$ref": "#/components/schemas/Round"})))}}),
        ),
        (
            "/api/v1/mapping/rounds/{id}/response-rates",
            json!({"get": {"summary": "Invited and answered per municipality and unit (with its subtree) in the caller's scope; a node is shown only when the anonymity rule allows (at least k invited, and not to be worked out from the others)",
            "parameters": [id_param("id")],
            "responses": with("200", ok("Response rates", json!({"type": "object", "properties": {"round_id": {"type": "integer"}, "min_group_size": {"type": "integer"},
                "municipalities": {"type": "array", "items": rate}, "units": {"type": "array", "items": rate}}})))}}),
        ),
        (
            "/api/v1/mapping/rounds/{id}/report",
            json!({"get": {"summary": "The round's report for one node (with everything below it) and optionally one role group, under the anonymity rule: a hidden figure carries no count. Figures exist only once the round has closed (from the day after its closing date; 409 results-not-released before) and never change after that",
            "parameters": [id_param("id"), query("node", "r<region id>, m<municipality id> or u<unit id>; default the widest node the caller may read"),
                query("group", "Role group: ansatt, leder, folkevalgt, tillitsvalgt, radmann, innkjoper")],
            "responses": with("200", ok("Report", json!({"type": "object", "properties": {"round_id": {"type": "integer"}, "node": {"type": "string"},
                "name": {"type": "string"}, "role_group": {"type": ["string", "null"]}, "min_group_size": {"type": "integer"},
                "responses": {"type": "integer", "description": "The responses the figures reflect"},
                "competences": competence_figures,
                "children": {"type": "array", "items": {"type": "object", "properties": {"node": {"type": "string"}, "name": {"type": "string"},
                    "competences": competence_figures}}}}})))}}),
        ),
        (
            "/api/v1/mapping/rounds/{id}/profile",
            json!({"get": {"summary": "The caller's own answers in a confidential round they submitted, beside the targets for their role group (404 for anonymous rounds: nothing links answers to a person)",
            "parameters": [id_param("id")],
            "responses": with("200", ok("Own profile", json!({"type": "object", "properties": {"round_id": {"type": "integer"}, "role_group": {"type": "string"},
                "items": {"type": "array", "items": {"type": "object", "properties": {"framework_id": {"type": "integer"}, "competence": {"type": "string"},
                    "level": {"type": ["integer", "null"]}, "not_relevant": {"type": "boolean"}, "tested_level": {"type": ["integer", "null"]},
                    "target": {"type": ["integer", "null"]}, "gap": {"type": ["integer", "null"]}, "top_level": {"type": "integer"}}}}}})))}}),
        ),
        (
            "/api/v1/courses",
            json!({"get": {"summary": "The course catalogue as the caller sees it (their municipality's own courses included), soonest session first, 50 a page",
            "parameters": [query("q", "Words; Norwegian word forms and parts of compound words match"), query("competence", "framework-key:code, e.g. digcomp:4.2"),
                query("format", "classroom, webinar, e-learning, conference, network-meeting"), query("organiser", "region, municipality or external"),
                query("municipality", "The organising municipality's id"), query("from", "A session starting on or after this date (YYYY-MM-DD)"),
                query("to", "A session starting on or before this date"), query("free", "1: only courses with a free seat"), query("page", "From 1")],
            "responses": with("200", ok("Catalogue page", json!({"type": "object", "properties": {
                "items": {"type": "array", "items": {"type": "object", "properties": {"id": {"type": "integer"}, "title": {"type": "string"},
                    "summary": {"type": "string"}, "format": {"type": "string"}, "organiser": {"type": ["string", "null"]},
                    "next_starts_at": {"type": ["string", "null"], "format": "date-time"}, "free_seats": {"type": "integer"}}}},
                "total": {"type": "integer"}, "page": {"type": "integer"}, "per_page": {"type": "integer"}}})))}}),
        ),
        (
            "/api/v1/courses/{id}",
            json!({"get": {"summary": "One course with its sessions and seats (the online link is shown to participants on the course page only)",
            "parameters": [id_param("id")],
            "responses": with("200", ok("Course", json!({"type": "object", "properties": {"id": {"type": "integer"}, "title": {"type": "string"},
                "sessions": {"type": "array", "items": {"type": "object", "properties": {"id": {"type": "integer"},
                    "days": {"type": "array", "items": {"type": "object", "properties": {"starts_at": {"type": "string", "format": "date-time"}, "ends_at": {"type": "string", "format": "date-time"}}}},
                    "capacity": {"type": "integer"}, "confirmed": {"type": "integer"},
                    "offered": {"type": "integer", "description": "Seats offered from the waitlist, held until answered (taken, not yet participants)"},
                    "waitlisted": {"type": "integer"}, "free_seats": {"type": "integer"},
                    "cancelled": {"type": "boolean"}}}}}})))}}),
        ),
        (
            "/api/v1/sessions/{id}/enrolments",
            json!({"post": {"summary": "Enrols the caller, or a person they may enrol: a seat while seats (and the municipality's quota) last, else a waitlist place in arrival order; a request when the course needs approval. 201 when placed now, 200 with already=true for a repeated request",
            "parameters": [id_param("id")],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "properties": {"person_id": {"type": "integer"}}}}}},
            "responses": with("201", ok("Enrolment", enrolment.clone()))}}),
        ),
        (
            "/api/v1/sessions/{id}/enrolments/{person_id}",
            json!({"delete": {"summary": "Cancels a seat (late after the cancellation deadline; the seat goes to the first waiting), leaves the waitlist or withdraws a request",
            "parameters": [id_param("id"), id_param("person_id")],
            "responses": with("200", ok("State after cancelling", json!({"type": "object", "properties": {"state": {"type": "string"}, "late": {"type": "boolean"}, "promoted": {"type": "integer"}}})))}}),
        ),
        (
            "/api/v1/sessions/{id}/enrolments/{person_id}/accept",
            json!({"post": {"summary": "Takes the seat offered from the waitlist (courses with an answer time): confirmed, with the confirmation e-mail. After the deadline 409 offer-expired, and the seat has passed on",
            "parameters": [id_param("id"), id_param("person_id")],
            "responses": with("200", ok("State after accepting", json!({"type": "object", "properties": {"state": {"type": "string"}}})))}}),
        ),
        (
            "/api/v1/sessions/{id}/enrolments/{person_id}/decline",
            json!({"post": {"summary": "Turns the offered seat down; it is offered to the next waiting. 409 no-offer when the person holds no offer",
            "parameters": [id_param("id"), id_param("person_id")],
            "responses": with("200", ok("State after declining", json!({"type": "object", "properties": {"state": {"type": "string"}, "promoted": {"type": "integer"}}})))}}),
        ),
    ];
    if let Some(p) = doc["paths"].as_object_mut() {
        for (path, item) in paths {
            p.insert(path.into(), item);
        }
    }
    if let Some(schemas) = doc["components"]["schemas"].as_object_mut() {
        schemas.insert("Round".into(), json!({"type": "object", "properties": {"id": {"type": "integer"}, "name": {"type": "string"},
            "privacy": {"type": "string", "enum": ["anonymous", "confidential"]}, "opens": {"type": "string", "format": "date"},
            "closes": {"type": "string", "format": "date"}, "phase": {"type": "string", "enum": ["not-open", "open", "closed"]},
            "questions": {"type": "array", "items": {"type": "object", "properties": {"framework_id": {"type": "integer"}, "competence": {"type": "string"}}}},
            "knowledge_checks": {"type": "array", "items": {"type": "integer"}},
            "audience": {"type": "object", "properties": {"municipalities": {"type": "array", "items": {"type": "integer"}},
                "units": {"type": "array", "items": {"type": "integer"}}, "role_groups": {"type": "array", "items": {"type": "string"}}}},
            "reminder_days": {"type": "array", "items": {"type": "integer"}}, "copied_from": {"type": ["integer", "null"]}}}));
        schemas.insert("Figure".into(), json!({"type": "object", "required": ["status"], "properties": {
            "status": {"type": "string", "enum": ["shown", "hidden"]},
            "figures": {"type": "object", "description": "Only when shown", "properties": {
                "respondents": {"type": "integer"}, "distribution": {"type": "array", "items": {"type": "integer"}, "description": "Respondents per level, level 1 first"},
                "median": {"type": ["number", "null"]}, "with_target": {"type": "integer"}, "at_or_above_target": {"type": "integer"},
                "mean_gap": {"type": ["number", "null"]}}}}}));
    }
    if let Some(d) = doc["info"]["description"].as_str().map(str::to_string) {
        doc["info"]["description"] = json!(format!(
            "{d} Competence mapping figures obey the anonymity rule (no figure from fewer than k respondents)."
        ));
    }
    doc
}
