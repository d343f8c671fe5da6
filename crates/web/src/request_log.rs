//! What the request log may say. Personal links (`/answer/{token}`) are secrets and, in an anonymous round, a
//! logged time beside them would tie a submission to a person: paths are logged as their route's pattern where
//! they hold a token, never with the query string (which can hold a CSRF token), and an answer *submission*
//! (a POST to a questionnaire) gets no request log line or span at all, so no time of a submission is written.
//! Metrics use route patterns already (`metrics::track`).

use axum::http::{Method, Request, Response};
use std::time::Duration;
use tracing::Span;

/// The path as the log may show it: a personal link's token replaced by `{token}`.
pub fn loggable_path(path: &str) -> String {
    match path.strip_prefix("/answer/") {
        Some(_) => "/answer/{token}".to_string(),
        None => path.to_string(),
    }
}

/// A questionnaire being saved or submitted (by personal link or logged in).
pub fn is_answer_submission(method: &Method, path: &str) -> bool {
    method == Method::POST
        && (path.starts_with("/answer/")
            || path.strip_prefix("/mapping/").is_some_and(|rest| rest.ends_with("/answer") && !rest.contains("//")))
}

/// The request span: method and loggable path; none for answer submissions.
pub fn make_span<B>(request: &Request<B>) -> Span {
    let path = request.uri().path();
    if is_answer_submission(request.method(), path) {
        return Span::none();
    }
    tracing::debug_span!("request", method = %request.method(), path = %loggable_path(path))
}

/// Logged inside the span only, so answer submissions (without a span) leave no line.
pub fn on_request<B>(_: &Request<B>, span: &Span) {
    if !span.is_none() {
        tracing::debug!("started processing request");
    }
}

pub fn on_response<B>(response: &Response<B>, latency: Duration, span: &Span) {
    if !span.is_none() {
        tracing::debug!(
            status = response.status().as_u16(),
            latency_ms = latency.as_millis() as u64,
            "finished processing request"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_and_submissions_stay_out_of_the_log() {
        assert_eq!(loggable_path("/answer/abcDEF123"), "/answer/{token}");
        assert_eq!(loggable_path("/mapping/4/report"), "/mapping/4/report");
        assert!(is_answer_submission(&Method::POST, "/answer/abc"));
        assert!(is_answer_submission(&Method::POST, "/mapping/7/answer"));
        assert!(!is_answer_submission(&Method::GET, "/mapping/7/answer"));
        assert!(!is_answer_submission(&Method::POST, "/mapping/7/invite"));
        let request = Request::post("/answer/secret").body(()).expect("request");
        assert!(make_span(&request).is_none());
    }
}
