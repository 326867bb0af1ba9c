//! The Next Release Problem (Bagnall, Rayward-Smith & Whittley 2001): requirements with costs,
//! prerequisites between them, and customers who are worth their profit only when every
//! requirement they asked for is delivered. Choose requirements within a budget to maximise
//! the profit of the satisfied customers.
//!
//! [`parse`] reads the public instances' text format (classic and realistic, Xuan et al.);
//! [`Instance::reduce`] turns an instance into a [`Problem`] one variable per distinct
//! customer, and one per group of requirements shared by several; [`Instance::evaluate`]
//! checks a choice of requirements from scratch.

use std::collections::HashMap;
use std::fmt;

use crate::Problem;

/// An instance. Ids are 0-based here; the files count from 1.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instance {
    /// The cost of each requirement.
    pub costs: Vec<u64>,
    /// `(a, b)`: requirement a must be delivered before (with) requirement b.
    pub dependencies: Vec<(u32, u32)>,
    pub customers: Vec<Customer>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Customer {
    pub profit: u64,
    pub requests: Vec<u32>,
}

/// Where and why a file is not an instance; line and column count from 1.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}, column {column}: {message}")]
pub struct ParseError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// The largest count the reader accepts for levels, requirements, pairs or customers.
const MAX_COUNT: u64 = 10_000_000;

/// Reads an instance: whitespace-separated whole numbers, as described in the instances'
/// `readme.txt`.
pub fn parse(text: &str) -> Result<Instance, ParseError> {
    let mut tokens = Tokens::new(text);
    let levels = tokens.count("the number of requirement levels")?;
    let mut costs = Vec::new();
    for level in 1..=levels {
        let n = tokens.count(&format!("the number of requirements on level {level}"))?;
        for _ in 0..n {
            let id = costs.len() + 1;
            costs.push(tokens.number(&format!("the cost of requirement {id}"))?);
        }
    }
    let n = costs.len() as u64;
    let pairs = tokens.count("the number of dependency pairs")?;
    let mut dependencies = Vec::new();
    for pair in 1..=pairs {
        let before = tokens.id(
            n,
            &format!("dependency pair {pair}: the requirement that comes first"),
        )?;
        let after = tokens.id(
            n,
            &format!("dependency pair {pair}: the requirement that depends on it"),
        )?;
        dependencies.push((before, after));
    }
    let m = tokens.count("the number of customers")?;
    let mut customers = Vec::new();
    for customer in 1..=m {
        let profit = tokens.number(&format!("customer {customer}'s profit"))?;
        let q = tokens.count(&format!("customer {customer}'s number of requests"))?;
        let mut requests = Vec::new();
        for request in 1..=q {
            requests.push(tokens.id(n, &format!("customer {customer}'s request {request}"))?);
        }
        customers.push(Customer { profit, requests });
    }
    if let Some((at, token)) = tokens.next() {
        return Err(tokens.error(
            at,
            format!("unexpected `{token}` after the last customer: the file should end here"),
        ));
    }
    Ok(Instance {
        costs,
        dependencies,
        customers,
    })
}

struct Tokens<'t> {
    text: &'t str,
    at: usize,
    /// Where the last token read ends: a file cut short is reported there.
    last_end: usize,
}

impl<'t> Tokens<'t> {
    fn new(text: &'t str) -> Tokens<'t> {
        Tokens {
            text,
            at: 0,
            last_end: 0,
        }
    }

    fn next(&mut self) -> Option<(usize, &'t str)> {
        let rest = &self.text[self.at..];
        let start = self.at + (rest.len() - rest.trim_start().len());
        let rest = &self.text[start..];
        if rest.is_empty() {
            self.at = start;
            return None;
        }
        let len = rest.find(char::is_whitespace).unwrap_or(rest.len());
        self.at = start + len;
        self.last_end = self.at;
        Some((start, &rest[..len]))
    }

    fn error(&self, at: usize, message: String) -> ParseError {
        let before = &self.text[..at];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        ParseError {
            line,
            column,
            message,
        }
    }

    fn number(&mut self, what: &str) -> Result<u64, ParseError> {
        match self.next() {
            None => Err(self.error(
                self.last_end,
                format!("the file ends where {what} should be: it is cut short"),
            )),
            Some((at, token)) => token.parse::<u64>().map_err(|_| {
                self.error(
                    at,
                    format!("expected {what}, a whole number, but found `{token}`"),
                )
            }),
        }
    }

    fn count(&mut self, what: &str) -> Result<u64, ParseError> {
        let start = self.at;
        let count = self.number(what)?;
        if count > MAX_COUNT {
            let at = start + (self.text[start..].len() - self.text[start..].trim_start().len());
            return Err(self.error(at, format!("{what} is {count}, more than {MAX_COUNT}")));
        }
        Ok(count)
    }

    fn id(&mut self, n: u64, what: &str) -> Result<u32, ParseError> {
        let start = self.at;
        let id = self.number(what)?;
        if id == 0 || id > n {
            let at = start + (self.text[start..].len() - self.text[start..].trim_start().len());
            return Err(self.error(
                at,
                format!("{what} is requirement {id}, but requirements are numbered 1 to {n}"),
            ));
        }
        Ok((id - 1) as u32)
    }
}

/// A budget ratio such as `0.3`, kept exact as a decimal fraction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ratio {
    numerator: u64,
    denominator: u64,
}

impl Ratio {
    /// Reads a non-negative decimal number of up to 9 decimal places.
    pub fn parse(text: &str) -> Option<Ratio> {
        let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if (whole.is_empty() && fraction.is_empty())
            || !digits(whole)
            || !digits(fraction)
            || fraction.len() > 9
            || whole.len() > 9
        {
            return None;
        }
        let denominator = 10u64.pow(fraction.len() as u32);
        let whole: u64 = if whole.is_empty() {
            0
        } else {
            whole.parse().ok()?
        };
        let fraction: u64 = if fraction.is_empty() {
            0
        } else {
            fraction.parse().ok()?
        };
        Some(Ratio {
            numerator: whole * denominator + fraction,
            denominator,
        })
    }

    /// `floor(self × total)`, exactly.
    pub fn of(self, total: u64) -> u64 {
        (u128::from(total) * u128::from(self.numerator) / u128::from(self.denominator)) as u64
    }
}

impl fmt::Display for Ratio {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let places = self.denominator.ilog10() as usize;
        let whole = self.numerator / self.denominator;
        if places == 0 {
            write!(f, "{whole}")
        } else {
            let fraction = self.numerator % self.denominator;
            write!(f, "{whole}.{fraction:0places$}")
        }
    }
}

/// A choice of requirements, checked from scratch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evaluation {
    pub cost: u64,
    pub profit: u64,
    /// The customers whose requests, and their prerequisites, are all delivered.
    pub satisfied: Vec<bool>,
    /// A chosen requirement whose prerequisite is not chosen, if any: `(prerequisite, requirement)`.
    pub missing_prerequisite: Option<(u32, u32)>,
}

/// An instance as a [`Problem`], with the way back to requirements.
#[derive(Debug, Clone)]
pub struct Reduced {
    pub problem: Problem,
    /// The customers each variable stands for (empty for a shared group of requirements).
    pub customers: Vec<Vec<u32>>,
    /// The profit of each variable and its cost (its own requirements' or the group's).
    pub profit: Vec<i64>,
    pub cost: Vec<i64>,
    /// Each customer's requests with all their prerequisites.
    needs: Vec<Vec<u32>>,
}

impl Instance {
    pub fn total_cost(&self) -> u64 {
        self.costs.iter().sum()
    }

    pub fn total_profit(&self) -> u64 {
        self.customers.iter().map(|c| c.profit).sum()
    }

    /// Each requirement with its prerequisites, transitively.
    fn closures(&self) -> Vec<Vec<u32>> {
        let n = self.costs.len();
        let mut before: Vec<Vec<u32>> = vec![Vec::new(); n];
        for &(a, b) in &self.dependencies {
            before[b as usize].push(a);
        }
        (0..n)
            .map(|r| {
                let mut seen = vec![r as u32];
                let mut at = 0;
                while at < seen.len() {
                    let next = seen[at] as usize;
                    at += 1;
                    for &a in &before[next] {
                        if !seen.contains(&a) {
                            seen.push(a);
                        }
                    }
                }
                seen.sort_unstable();
                seen
            })
            .collect()
    }

    /// Each customer's requests with all their prerequisites, sorted.
    fn needs(&self) -> Vec<Vec<u32>> {
        let closures = self.closures();
        self.customers
            .iter()
            .map(|customer| {
                let mut need: Vec<u32> = customer
                    .requests
                    .iter()
                    .flat_map(|&r| closures[r as usize].iter().copied())
                    .collect();
                need.sort_unstable();
                need.dedup();
                need
            })
            .collect()
    }

    /// Cost, profit and satisfied customers of a choice of requirements, from the instance
    /// alone.
    pub fn evaluate(&self, chosen: &[bool]) -> Evaluation {
        let cost = self
            .costs
            .iter()
            .zip(chosen)
            .filter(|(_, c)| **c)
            .map(|(cost, _)| cost)
            .sum();
        let missing_prerequisite = self
            .dependencies
            .iter()
            .find(|&&(a, b)| chosen[b as usize] && !chosen[a as usize])
            .copied();
        let closures = self.closures();
        let satisfied: Vec<bool> = self
            .customers
            .iter()
            .map(|customer| {
                customer
                    .requests
                    .iter()
                    .all(|&r| closures[r as usize].iter().all(|&q| chosen[q as usize]))
            })
            .collect();
        let profit = self
            .customers
            .iter()
            .zip(&satisfied)
            .filter(|(_, s)| **s)
            .map(|(c, _)| c.profit)
            .sum();
        Evaluation {
            cost,
            profit,
            satisfied,
            missing_prerequisite,
        }
    }

    /// The instance as a selection problem: maximise profit, with the budget as its one row
    /// when there is one. Customers who need exactly the same requirements become one
    /// variable; requirements needed by exactly the same customers become one group; a group
    /// needed by one variable only is folded into its cost; requirements nobody needs vanish.
    pub fn reduce(&self, budget: Option<u64>) -> Reduced {
        let needs = self.needs();
        let n = self.costs.len();
        let mut users: Vec<Vec<u32>> = vec![Vec::new(); n];
        for (customer, need) in needs.iter().enumerate() {
            for &r in need {
                users[r as usize].push(customer as u32);
            }
        }
        // Requirements by the customers who need them.
        let mut group_of: HashMap<&[u32], usize> = HashMap::new();
        let mut group_cost: Vec<u64> = Vec::new();
        let mut group_of_requirement = vec![usize::MAX; n];
        for r in 0..n {
            if users[r].is_empty() {
                continue;
            }
            let next = group_of.len();
            let group = *group_of.entry(users[r].as_slice()).or_insert(next);
            if group == group_cost.len() {
                group_cost.push(0);
            }
            group_cost[group] += self.costs[r];
            group_of_requirement[r] = group;
        }
        // Customers by the groups they need.
        let mut var_of: HashMap<Vec<usize>, usize> = HashMap::new();
        let mut customers: Vec<Vec<u32>> = Vec::new();
        let mut var_groups: Vec<Vec<usize>> = Vec::new();
        let mut profit: Vec<i64> = Vec::new();
        for (customer, need) in needs.iter().enumerate() {
            let mut groups: Vec<usize> = need
                .iter()
                .map(|&r| group_of_requirement[r as usize])
                .collect();
            groups.sort_unstable();
            groups.dedup();
            let next = var_of.len();
            let var = *var_of.entry(groups.clone()).or_insert(next);
            if var == customers.len() {
                customers.push(Vec::new());
                var_groups.push(groups);
                profit.push(0);
            }
            customers[var].push(customer as u32);
            profit[var] += self.customers[customer].profit as i64;
        }
        let mut group_users: Vec<Vec<usize>> = vec![Vec::new(); group_cost.len()];
        for (var, groups) in var_groups.iter().enumerate() {
            for &g in groups {
                group_users[g].push(var);
            }
        }
        let mut cost: Vec<i64> = vec![0; customers.len()];
        let mut shared: Vec<(usize, i64)> = Vec::new();
        for (g, using) in group_users.iter().enumerate() {
            if let [only] = using.as_slice() {
                cost[*only] += group_cost[g] as i64;
            } else {
                shared.push((g, group_cost[g] as i64));
            }
        }
        let n_vars = customers.len() + shared.len();
        let mut problem = Problem::new(n_vars);
        for (var, &p) in profit.iter().enumerate() {
            problem.set_objective(var, p);
        }
        for (idx, &(g, group_cost)) in shared.iter().enumerate() {
            let var = customers.len() + idx;
            cost.push(group_cost);
            profit.push(0);
            for &user in &group_users[g] {
                problem.require(user, var);
            }
        }
        customers.resize(n_vars, Vec::new());
        if let Some(budget) = budget {
            problem.add_row(cost.clone(), budget.min(i64::MAX as u64) as i64);
        }
        Reduced {
            problem,
            customers,
            profit,
            cost,
            needs,
        }
    }
}

impl Reduced {
    /// The requirements a choice of variables delivers: everything its customers need.
    pub fn requirements(&self, chosen: &[bool], n_requirements: usize) -> Vec<bool> {
        let mut delivered = vec![false; n_requirements];
        for (var, customers) in self.customers.iter().enumerate() {
            if !chosen[var] {
                continue;
            }
            for &customer in customers {
                for &r in &self.needs[customer as usize] {
                    delivered[r as usize] = true;
                }
            }
        }
        delivered
    }
}
