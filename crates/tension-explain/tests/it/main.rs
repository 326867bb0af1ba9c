//! Tests of the value of information against closed forms, of the explanation of scenarios
//! whose answer is known, and of the refusals.

mod closed_form;
mod properties;
mod scenarios;
