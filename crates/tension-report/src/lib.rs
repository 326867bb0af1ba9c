//! The engines' JSON reports, shared by the command line (`--format json`) and the server's
//! API, so that both give the same answer: the keys of each report are a contract; keys may
//! be added, not changed.

mod explain;
mod forecast;
mod plan;
pub mod record;
pub mod text;

pub use explain::{DisagreementJson, ExplainJson, InputJson, OptionJson, explain};
pub use forecast::{ForecastJson, ItemForecastJson, PlanForecastJson, forecast};
pub use plan::{
    ConcessionsJson, ConstraintJson, FrontierPlanJson, InfeasibleJson, PlanJson, concessions,
    concessions_of, frontier_plan, infeasible, plan,
};
