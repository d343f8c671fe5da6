//! Prometheus metrics: request counts and latencies per route, exposed in
//! the text format at `/metrics`.

use crate::AppState;
use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;
use std::time::Instant;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RequestLabels {
    pub method: String,
    pub route: String,
    pub status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RouteLabels {
    pub route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct OutboxLabels {
    pub state: &'static str,
}

type HistogramMaker = fn() -> Histogram;

pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    durations: Family<RouteLabels, Histogram, HistogramMaker>,
    pub outbox: Family<OutboxLabels, Gauge>,
}

fn latency_histogram() -> Histogram {
    // 0.5 ms to ~2 s.
    Histogram::new(exponential_buckets(0.0005, 2.0, 13))
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("loft");
        let requests = Family::<RequestLabels, Counter>::default();
        let durations =
            Family::<RouteLabels, Histogram, HistogramMaker>::new_with_constructor(latency_histogram as HistogramMaker);
        let outbox = Family::<OutboxLabels, Gauge>::default();
        registry.register("http_requests", "HTTP requests by route and status", requests.clone());
        registry.register("http_request_duration_seconds", "HTTP request latency by route", durations.clone());
        registry.register("outbox_messages", "E-mails in the outbox by state", outbox.clone());
        Metrics { registry, requests, durations, outbox }
    }
}

impl Metrics {
    pub fn render(&self) -> String {
        let mut out = String::new();
        if prometheus_client::encoding::text::encode(&mut out, &self.registry).is_err() {
            out.clear();
        }
        out
    }
}

/// Records every request under its route pattern (never the raw path, which holds ids).
pub async fn track(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().to_string();
    let route =
        request.extensions().get::<MatchedPath>().map(|m| m.as_str().to_string()).unwrap_or_else(|| "unmatched".into());
    let response = next.run(request).await;
    let labels = RequestLabels { method, route: route.clone(), status: response.status().as_u16() };
    state.metrics.requests.get_or_create(&labels).inc();
    state.metrics.durations.get_or_create(&RouteLabels { route }).observe(started.elapsed().as_secs_f64());
    response
}
