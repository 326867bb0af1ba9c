//! `tension forecast --format json`.

use jiff::civil::Date;
use serde::Serialize;
use tension_forecast::Forecast;

/// The JSON contract: these keys are kept; others may be added.
#[derive(Debug, Serialize)]
pub struct ForecastJson {
    pub trials: usize,
    pub seed: u64,
    pub plan: PlanForecastJson,
    pub items: Vec<ItemForecastJson>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unreachable: Option<&'static str>,
    pub warnings: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct PlanForecastJson {
    pub p50: Option<String>,
    pub p85: Option<String>,
    pub p95: Option<String>,
    pub p_by_deadline: Option<f64>,
    pub at_confidence: Option<String>,
    pub confidence: f64,
}

#[derive(Debug, Serialize)]
pub struct ItemForecastJson {
    pub id: String,
    pub p50: Option<String>,
    pub p85: Option<String>,
    pub p95: Option<String>,
    pub p_on_time: Option<f64>,
    pub expected_value: f64,
}

fn iso(date: Option<Date>) -> Option<String> {
    date.map(|date| date.to_string())
}

/// The JSON of a forecast.
pub fn forecast(forecast: &Forecast) -> ForecastJson {
    ForecastJson {
        trials: forecast.trials,
        seed: forecast.seed,
        plan: PlanForecastJson {
            p50: iso(forecast.plan.p50),
            p85: iso(forecast.plan.p85),
            p95: iso(forecast.plan.p95),
            p_by_deadline: forecast.plan.p_by_deadline,
            at_confidence: iso(forecast.plan.at_confidence),
            confidence: forecast.plan.confidence,
        },
        items: forecast
            .items
            .iter()
            .map(|item| ItemForecastJson {
                id: item.id.clone(),
                p50: iso(item.p50),
                p85: iso(item.p85),
                p95: iso(item.p95),
                p_on_time: item.p_on_time,
                expected_value: item.expected_value,
            })
            .collect(),
        unreachable: forecast.unreachable.map(|why| why.message()),
        warnings: forecast
            .warnings
            .iter()
            .map(|warning| warning.message())
            .collect(),
    }
}
