//! What each form of the language means: one short case per form.

use tension_estimate::{Dimension, Dist, ExprKind, ParseErrorKind, Z90, parse};

use crate::sample;

/// The value of an estimate that must be fixed.
fn fixed(text: &str) -> f64 {
    let values = sample(text, 3, 1);
    assert!(
        values.iter().all(|v| *v == values[0]),
        "`{text}` should be fixed, got {values:?}"
    );
    values[0]
}

fn dist(text: &str) -> Dist {
    match parse(text).unwrap_or_else(|e| panic!("`{text}`: {e}")).kind {
        ExprKind::Dist { dist, .. } => dist,
        other => panic!("`{text}` should be a distribution, got {other:?}"),
    }
}

/// The error message and the text it points at.
fn error(text: &str) -> (String, String) {
    let error = parse(text).expect_err(text);
    (
        error.to_string(),
        text[error.span.start..error.span.end].to_owned(),
    )
}

#[test]
fn numbers_suffixes_and_units() {
    let cases = [
        ("12", 12.0),
        ("12 days", 12.0),
        ("2 weeks", 10.0),
        ("2 weeks + 3 days", 13.0),
        ("40k", 40_000.0),
        ("1.5M", 1_500_000.0),
        ("3%", 0.03),
        ("1e3", 1000.0),
        ("1_000", 1000.0),
        (".5", 0.5),
        ("-4", -4.0),
        ("2 * (3 + 4)", 14.0),
        ("10 / 4", 2.5),
        ("-(2 - 5)", 3.0),
        ("min(3, 1, 2)", 1.0),
        ("max(3, 1 + 4, 2)", 5.0),
        ("7..7", 7.0),
        ("38 USD/month", 38.0),
    ];
    for (text, expected) in cases {
        assert_eq!(fixed(text), expected, "{text}");
    }
}

#[test]
fn intervals_are_lognormal_above_zero_and_normal_otherwise() {
    let Dist::LogNormal { mu, sigma } = dist("15..40") else {
        panic!()
    };
    assert!((mu - (15.0f64 * 40.0).sqrt().ln()).abs() < 1e-12);
    assert!((sigma - (40.0f64 / 15.0).ln() / (2.0 * Z90)).abs() < 1e-12);
    assert_eq!(dist("15 to 40"), dist("15..40"));
    assert_eq!(
        dist("-5..5"),
        Dist::Normal {
            mean: 0.0,
            sd: 5.0 / Z90
        }
    );
    assert_eq!(
        dist("0..10"),
        Dist::Normal {
            mean: 5.0,
            sd: 5.0 / Z90
        }
    );
}

#[test]
fn suffixes_scale_ranges_and_a_suffix_on_the_high_end_applies_to_both() {
    assert_eq!(dist("2%..8%"), Dist::interval(0.02, 0.08).unwrap().unwrap());
    assert_eq!(dist("2..8%"), Dist::interval(0.02, 0.08).unwrap().unwrap());
    assert_eq!(dist("2..8 %"), Dist::interval(0.02, 0.08).unwrap().unwrap());
    assert_eq!(
        dist("40k..60k"),
        Dist::interval(40e3, 60e3).unwrap().unwrap()
    );
    assert_eq!(
        dist("40..60k"),
        Dist::interval(40e3, 60e3).unwrap().unwrap()
    );
    let weeks = dist("1..2 weeks");
    let days = Dist::interval(5.0, 10.0).unwrap().unwrap();
    assert!((weeks.mean() - days.mean()).abs() < 1e-9);
}

#[test]
fn named_distributions() {
    assert_eq!(
        dist("pert(5, 10, 30)"),
        Dist::Pert {
            min: 5.0,
            mode: 10.0,
            max: 30.0
        }
    );
    assert_eq!(
        dist("triangular(5, 10, 30)"),
        Dist::Triangular {
            min: 5.0,
            mode: 10.0,
            max: 30.0
        }
    );
    assert_eq!(
        dist("uniform(20, 25)"),
        Dist::Uniform {
            low: 20.0,
            high: 25.0
        }
    );
    assert_eq!(
        dist("normal(20, 4)"),
        Dist::Normal {
            mean: 20.0,
            sd: 4.0
        }
    );
    assert!((dist("lognormal(20, 4)").mean() - 20.0).abs() < 1e-9);
    assert_eq!(
        dist("uniform(1k, 2k)"),
        Dist::Uniform {
            low: 1000.0,
            high: 2000.0
        }
    );
    assert_eq!(
        dist("pert(1, 2, 3) weeks"),
        Dist::Pert {
            min: 5.0,
            mode: 10.0,
            max: 15.0
        }
    );
}

#[test]
fn units_are_kept_for_display_and_checks() {
    let expr = parse("38..45 USD").unwrap();
    assert_eq!(expr.units()[0].0.dimension, Dimension::Money);
    assert_eq!(expr.display_unit().as_deref(), Some("USD"));
    assert_eq!(
        parse("3 days + 2 weeks").unwrap().display_unit().as_deref(),
        Some("days")
    );
    assert_eq!(
        parse("users * 40 USD").unwrap().display_unit().as_deref(),
        Some("USD")
    );
    assert_eq!(
        parse("100 USD / 4 users")
            .unwrap()
            .display_unit()
            .as_deref(),
        Some("USD/users")
    );
    assert_eq!(
        parse("2..3 months").unwrap().units()[0].0.dimension,
        Dimension::Label
    );
}

#[test]
fn bounds_follow_interval_arithmetic_over_the_90_percent_ranges() {
    let bounds = |text: &str| parse(text).unwrap().bounds();
    assert_eq!(bounds("3"), Some((3.0, 3.0)));
    let (low, high) = bounds("1%..2% * 5").unwrap();
    assert!((low - 0.05).abs() < 1e-12 && (high - 0.1).abs() < 1e-12);
    let (low, high) = bounds("15..40 - 5..10").unwrap();
    assert!((low - 5.0).abs() < 1e-9 && (high - 35.0).abs() < 1e-9);
    assert_eq!(bounds("-(2 - 5)"), Some((3.0, 3.0)));
    let rounded = |b: Option<(f64, f64)>| b.map(|(low, high)| (low.round(), high.round()));
    assert_eq!(rounded(bounds("min(3, 1..2)")), Some((1.0, 2.0)));
    assert_eq!(rounded(bounds("max(3, 1..2)")), Some((3.0, 3.0)));
    assert_eq!(
        bounds("10 / (-1..1)"),
        None,
        "a divisor range containing 0 has no bounds"
    );
    assert_eq!(
        bounds("users * 2"),
        None,
        "a quantity's range is not known here"
    );
}

#[test]
fn quantities_are_found_with_their_spans() {
    let text = "checkout_users * conversion_lift * avg_order";
    let expr = parse(text).unwrap();
    let names: Vec<(&str, &str)> = expr
        .quantities()
        .into_iter()
        .map(|(name, span)| (name, &text[span.start..span.end]))
        .collect();
    assert_eq!(
        names,
        [
            ("checkout_users", "checkout_users"),
            ("conversion_lift", "conversion_lift"),
            ("avg_order", "avg_order")
        ]
    );
}

#[test]
fn mistakes_point_at_what_is_wrong() {
    let cases: &[(&str, &str, &str)] = &[
        ("", "the estimate is empty", ""),
        (
            "15..",
            "expected a number, found the end of the estimate",
            "",
        ),
        (
            "40..15",
            "the low end 40 is above the high end 15",
            "40..15",
        ),
        ("pret(5, 10, 30)", "unknown function `pret`", "pret"),
        (
            "pert(5, 10)",
            "`pert` takes 3 numbers, found 2",
            "pert(5, 10)",
        ),
        (
            "pert(5, 40, 30)",
            "bad parameters for `pert`: the most likely value 40 is outside 5..30",
            "pert(5, 40, 30)",
        ),
        ("users / 0", "division by zero", "0"),
        ("1e999", "number too large", "1e999"),
        (
            "5 ** 2",
            "expected a number, a range, a quantity name or `(`, found `*`",
            "*",
        ),
        ("(1 + 2", "expected `)`, found the end of the estimate", ""),
        ("3 $", "unexpected character `$`", "$"),
        ("3 € ", "unexpected character `€`", "€"),
        (
            "1 2",
            "expected an operator (+ - * /) or the end of the estimate",
            "2",
        ),
        (
            "uniform(5, 5)",
            "bad parameters for `uniform`: the minimum 5 is not below the maximum 5",
            "uniform(5, 5)",
        ),
        (
            "normal(1, -2)",
            "bad parameters for `normal`: the standard deviation -2 is negative",
            "normal(1, -2)",
        ),
        (
            "2%..8",
            "the low end has a suffix (`%`, `k` or `M`) that the high end lacks",
            "2%..8",
        ),
    ];
    for (text, message, pointed) in cases {
        let (got_message, got_pointed) = error(text);
        assert!(got_message.starts_with(message), "`{text}`: {got_message}");
        assert_eq!(&got_pointed, pointed, "`{text}`");
    }
}

#[test]
fn hints_help_with_the_common_mistakes() {
    let help = |text: &str| parse(text).unwrap_err().help().unwrap_or_default();
    assert_eq!(help("pret(5, 10, 30)"), "did you mean `pert`?");
    assert_eq!(help("40..15"), "a range is written low end first: `15..40`");
    assert_eq!(help("pert(1, 2)"), "write `pert(min, most_likely, max)`");
}

#[test]
fn nesting_and_length_are_bounded() {
    let deep = format!("{}1{}", "(".repeat(65), ")".repeat(65));
    assert_eq!(parse(&deep).unwrap_err().kind, ParseErrorKind::TooDeep);
    let ok = format!("{}1{}", "(".repeat(64), ")".repeat(64));
    assert!(parse(&ok).is_ok());
    let calls = format!("{}1{}", "min(".repeat(64), ")".repeat(64));
    assert!(parse(&calls).is_ok());
    let signs = format!("{}1", "-".repeat(100));
    assert_eq!(parse(&signs).unwrap_err().kind, ParseErrorKind::TooDeep);
    let chain = format!("1{}", "+1".repeat(600));
    assert_eq!(
        parse(&chain).unwrap_err().kind,
        ParseErrorKind::TooManyOperators
    );
    let huge = "1+".repeat(100_000);
    assert!(matches!(
        parse(&huge).unwrap_err().kind,
        ParseErrorKind::TooLong { .. }
    ));
}
