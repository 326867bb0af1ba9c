//! A generated scenario for benchmarks: `n` items in a random dependency DAG, 10 people, mixed
//! `max_people`, 20 reviews. Deterministic: the same `n` gives the same file.

/// The scenario file's text.
pub(crate) fn scenario(n_items: usize) -> String {
    // xorshift64*: enough randomness for test data, and the same on every machine.
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = move || {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        state.wrapping_mul(0x2545_F491_4F6C_DD1D)
    };
    let mut below = |n: u64| next() % n;
    let mut text = String::from(
        "[scenario]\nname = \"generated\"\nstart = 2027-01-04\ndeadline = 2030-12-31\n\n[team]\npeople = 10\nfocus = \"0.6..0.8\"\n\n",
    );
    let n_reviews = 20;
    for review in 0..n_reviews {
        let low = 2 + below(5);
        text.push_str(&format!(
            "[[review]]\nid = \"r{review}\"\nlead_time = \"{low}..{} days\"\n\n",
            low * 3
        ));
    }
    for item in 0..n_items {
        let low = 1 + below(10);
        let high = low * (2 + below(3));
        let max_people = [1, 1, 1, 2, 3][below(5) as usize];
        let mut needs: Vec<usize> = (0..below(4))
            .filter(|_| item > 0)
            .map(|_| item - 1 - below(item.min(50) as u64) as usize)
            .collect();
        needs.sort_unstable();
        needs.dedup();
        let needs: Vec<String> = needs.iter().map(|need| format!("\"i{need}\"")).collect();
        // Every review gates a few items, so none is unused.
        let reviews = if item % 10 == 0 {
            format!("\"r{}\"", (item / 10) % n_reviews)
        } else {
            String::new()
        };
        text.push_str(&format!(
            "[[item]]\nid = \"i{item}\"\neffort = \"{low}..{high} days\"\nmax_people = {max_people}\nneeds = [{}]\nreviews = [{reviews}]\n\n",
            needs.join(", ")
        ));
    }
    text
}
