//! One trial of the schedule: list scheduling of the items on the team, in plan order.
//!
//! The rules are those of `SCENARIO.md`: an item starts when everything it needs has shipped
//! and a person is free; free people take the ready item that comes first in plan order. An
//! item takes as many free people as it may (`max_people`) and keeps them until its work is
//! done, which takes `effort / (people · focus)` working days. Its reviews are requested when it
//! starts, run in parallel and use no one's time; it ships when its work and its reviews are
//! done. Time is measured in working days from the start of day 1.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// The plan's structure, fixed for every trial; items are numbered in plan order.
#[derive(Debug, Clone)]
pub(crate) struct Network {
    people: u32,
    /// The most people any item can have at once.
    most_people: u32,
    /// What the schedule reads of each item, together, so one lookup finds it all.
    items: Vec<ItemInfo>,
    /// How many items each item needs, and then the placeholder dependent of `Network::new`.
    n_needs: Vec<u32>,
    /// The items that need each item, as ranges of this array (`ItemInfo::dependents`).
    dependents: Vec<u32>,
    /// The reviews each item waits for, likewise (`ItemInfo::reviews`).
    reviews: Vec<u32>,
    /// The items that need nothing, where every trial starts.
    initially_ready: ReadySet,
}

#[derive(Debug, Clone, Copy)]
struct ItemInfo {
    max_people: u32,
    dependents: (u32, u32),
    reviews: (u32, u32),
}

impl Network {
    pub(crate) fn new(
        people: u32,
        max_people: Vec<u32>,
        n_needs: Vec<u32>,
        (dependents_start, dependents): (Vec<u32>, Vec<u32>),
        (reviews_start, reviews): (Vec<u32>, Vec<u32>),
    ) -> Network {
        let n = max_people.len();
        // Every item's dependents are padded to at least `RELEASED` with a placeholder item past
        // the last, which needs more than any trial can ship, so that releasing the first few
        // dependents runs a fixed number of times: how many an item has is data the processor
        // could not predict.
        let placeholder = n as u32;
        let mut n_needs = n_needs;
        n_needs.push(u32::MAX / 2);
        let mut padded = Vec::with_capacity(dependents.len() + RELEASED * n);
        let mut ranges = Vec::with_capacity(n);
        for item in 0..n {
            let start = padded.len() as u32;
            let own =
                &dependents[dependents_start[item] as usize..dependents_start[item + 1] as usize];
            padded.extend_from_slice(own);
            padded.resize(start as usize + own.len().max(RELEASED), placeholder);
            ranges.push((start, padded.len() as u32));
        }
        let dependents = padded;
        let initially_ready = ReadySet::initial(&n_needs);
        let items = max_people
            .iter()
            .zip(ranges)
            .enumerate()
            .map(|(item, (&max_people, dependents))| ItemInfo {
                max_people,
                dependents,
                reviews: (reviews_start[item], reviews_start[item + 1]),
            })
            .collect();
        Network {
            people,
            most_people: max_people.iter().max().map_or(0, |&max| max.min(people)),
            items,
            n_needs,
            dependents,
            reviews,
            initially_ready,
        }
    }
}

/// Working memory for one trial, reused across trials.
#[derive(Debug, Default)]
pub(crate) struct Scratch {
    remaining: Vec<u32>,
    /// The ready items of networks of up to [`ONE_SUMMARY_WORD`] items.
    small_ready: SmallReady,
    /// The ready items of larger networks.
    ready: ReadySet,
    /// Events for teams that fit a window.
    window_8: WindowEvents<8>,
    window_12: WindowEvents<12>,
    window_16: WindowEvents<WINDOW>,
    /// Events for small teams, scanned: at most two per person at work.
    small_events: SmallEvents,
    /// Events for large teams, in a heap.
    heap_events: HeapEvents,
    /// When each item ships, in working days; infinite when it never does.
    pub ship: Vec<f64>,
    /// Working days per person-day of effort, by the number of people at work on an item.
    days_per_effort: Vec<f64>,
}

const WORK_DONE: u64 = 1;
const SHIPPED: u64 = 2;

impl Network {
    pub(crate) fn len(&self) -> usize {
        self.items.len()
    }

    /// Runs one trial with the given efforts (person-days, one per item), focus and review
    /// lead times (working days), leaving each item's ship time in `scratch.ship`.
    pub(crate) fn run(
        &self,
        effort: &[f64],
        focus: f64,
        lead_time: impl Fn(usize) -> f64,
        scratch: &mut Scratch,
    ) {
        // A few people have few events at a time: a short sorted list beats a heap's
        // unpredictable branches, and a fixed window beats the list's.
        if self.people <= 8 {
            self.run_in(|s| &mut s.window_8, effort, focus, lead_time, scratch);
        } else if self.people <= 12 {
            self.run_in(|s| &mut s.window_12, effort, focus, lead_time, scratch);
        } else if self.people <= WINDOW as u32 {
            self.run_in(|s| &mut s.window_16, effort, focus, lead_time, scratch);
        } else if self.people <= SMALL_TEAM {
            self.run_in(|s| &mut s.small_events, effort, focus, lead_time, scratch);
        } else {
            self.run_in(|s| &mut s.heap_events, effort, focus, lead_time, scratch);
        }
    }

    /// Runs the trial with the events queue that `events` picks from the scratch and the
    /// ready set that fits the network, each taken out for the run (an empty one stands in,
    /// which allocates nothing) and put back after: as locals, their fields can stay in
    /// registers.
    fn run_in<E: Events + Default>(
        &self,
        events: fn(&mut Scratch) -> &mut E,
        effort: &[f64],
        focus: f64,
        lead_time: impl Fn(usize) -> f64,
        scratch: &mut Scratch,
    ) {
        let mut taken = std::mem::take(events(scratch));
        if self.n_needs.len() <= ONE_SUMMARY_WORD {
            let mut ready = std::mem::take(&mut scratch.small_ready);
            self.run_with(&mut taken, &mut ready, effort, focus, lead_time, scratch);
            scratch.small_ready = ready;
        } else {
            let mut ready = std::mem::take(&mut scratch.ready);
            self.run_with(&mut taken, &mut ready, effort, focus, lead_time, scratch);
            scratch.ready = ready;
        }
        *events(scratch) = taken;
    }

    fn run_with<E: Events, R: Ready>(
        &self,
        events: &mut E,
        ready: &mut R,
        effort: &[f64],
        focus: f64,
        lead_time: impl Fn(usize) -> f64,
        scratch: &mut Scratch,
    ) {
        let n = self.len();
        assert_eq!(effort.len(), n, "one effort per item");
        scratch.ship.clear();
        scratch.ship.resize(n, f64::INFINITY);
        // Nobody to do the work, or no time to do it in: nothing ever ships.
        if self.people == 0 || focus.is_nan() || focus <= 0.0 {
            return;
        }
        // The fields apart, as locals, so that the loop keeps them in registers.
        let Scratch {
            remaining,
            ship,
            days_per_effort,
            ..
        } = scratch;
        remaining.clear();
        remaining.extend_from_slice(&self.n_needs);
        let remaining = &mut remaining[..];
        let ship = &mut ship[..];
        ready.reset_to(&self.initially_ready);
        events.clear();
        let mut free = self.people;
        let mut time = 0.0f64;
        // Working days per person-day of effort, by the number of people on the item: a
        // multiplication per item instead of a division.
        days_per_effort.clear();
        days_per_effort
            .extend((0..=self.most_people).map(|people| 1.0 / (focus * f64::from(people.max(1)))));
        let days_per_effort = &days_per_effort[..];
        let (items, dependents, reviews) =
            (&self.items[..], &self.dependents[..], &self.reviews[..]);
        loop {
            while free > 0 {
                let Some(item) = ready.pop_min() else {
                    break;
                };
                let info = items[item];
                let people = info.max_people.min(free);
                free -= people;
                let work = effort[item];
                // A negative draw of a normal range is no work; a value that is not a number
                // never finishes, which shows in the forecast instead of hiding.
                let work = if work.is_nan() {
                    f64::INFINITY
                } else {
                    work.max(0.0)
                };
                let work_done = time + work * days_per_effort[people as usize];
                let mut shipped = work_done;
                for &review in &reviews[info.reviews.0 as usize..info.reviews.1 as usize] {
                    let lead = lead_time(review as usize);
                    let lead = if lead.is_nan() {
                        f64::INFINITY
                    } else {
                        lead.max(0.0)
                    };
                    shipped = shipped.max(time + lead);
                }
                // The event carries the item and its people, to free them when the work is done.
                let tag = (item as u64) << 32 | u64::from(people) << 2;
                if shipped == work_done {
                    events.push(event(work_done, tag | WORK_DONE | SHIPPED));
                } else {
                    events.push(event(work_done, tag | WORK_DONE));
                    events.push(event(shipped, tag | SHIPPED));
                }
            }
            let Some(first) = events.pop_min() else {
                break;
            };
            let bits = first.0;
            if bits == f64::INFINITY.to_bits() {
                // Only never-ending work is left.
                break;
            }
            time = f64::from_bits(bits);
            // Everything that happens at this moment happens before anyone picks new work.
            let mut next = Some(first);
            while let Some((_, tag)) = next {
                let item = (tag >> 32) as usize;
                if tag & WORK_DONE != 0 {
                    free += (tag as u32) >> 2;
                }
                if tag & SHIPPED != 0 {
                    ship[item] = time;
                    let (start, end) = items[item].dependents;
                    let mut release = |dependent: u32| {
                        let dependent = dependent as usize;
                        remaining[dependent] -= 1;
                        // Without a branch: whether this was the last need is data, not a
                        // pattern the processor could predict.
                        ready.insert_if(dependent, remaining[dependent] == 0);
                    };
                    // At least `RELEASED` of them, placeholders included: the first ones
                    // without a loop, the rest (few items have more) in one.
                    let (first, rest) = dependents[start as usize..end as usize].split_at(RELEASED);
                    first.iter().for_each(|&dependent| release(dependent));
                    rest.iter().for_each(|&dependent| release(dependent));
                }
                next = events.pop_min_at(bits);
            }
        }
    }
}

/// Every item releases at least this many dependents, placeholders included; see
/// [`Network::new`].
const RELEASED: usize = 2;

/// Teams up to this size keep their events in a sorted list.
const SMALL_TEAM: u32 = 64;

/// An event: when (as the time's bits: non-negative floats order as their bits), and the item
/// with what happened to it. Events at the same moment are all handled before anyone picks new
/// work, and handling them commutes, so their order among themselves does not matter.
type Event = (u64, u64);

fn event(time: f64, tag: u64) -> Event {
    (time.to_bits(), tag)
}

/// A queue of events, earliest first.
trait Events {
    fn clear(&mut self);
    fn push(&mut self, event: Event);
    fn pop_min(&mut self) -> Option<Event>;
    /// The earliest event, if it happens at the time whose bits are `bits`.
    fn pop_min_at(&mut self, bits: u64) -> Option<Event>;
}

/// Events kept sorted, earliest first, from `head` on: a push moves up the few events due
/// later (new work usually ends after most of what is running), a pop advances `head`.
#[derive(Debug, Default)]
struct SmallEvents {
    list: Vec<Event>,
    head: usize,
}

impl SmallEvents {
    /// When the earliest event happens, as the time's bits.
    fn peek_bits(&self) -> Option<u64> {
        self.list.get(self.head).map(|event| event.0)
    }
}

/// How many popped events the sorted list keeps before it moves the live ones down.
const SMALL_EVENTS_SLACK: usize = 64;

impl Events for SmallEvents {
    fn clear(&mut self) {
        self.list.clear();
        self.head = 0;
    }

    fn push(&mut self, event: Event) {
        if self.head >= SMALL_EVENTS_SLACK {
            self.list.drain(..self.head);
            self.head = 0;
        }
        // Insertion from the end: move the events due later up by one, then place it.
        self.list.push(event);
        let mut idx = self.list.len() - 1;
        while idx > self.head && self.list[idx - 1].0 > event.0 {
            self.list[idx] = self.list[idx - 1];
            idx -= 1;
        }
        self.list[idx] = event;
    }

    fn pop_min(&mut self) -> Option<Event> {
        let event = self.list.get(self.head).copied();
        self.head += usize::from(event.is_some());
        event
    }

    fn pop_min_at(&mut self, bits: u64) -> Option<Event> {
        match self.list.get(self.head) {
            Some(&event) if event.0 == bits => {
                self.head += 1;
                Some(event)
            }
            _ => None,
        }
    }
}

/// The work of up to this many people fits the largest window of [`WindowEvents`].
const WINDOW: usize = 16;

/// Events for teams of at most `W` people (8, 12 or [`WINDOW`]), where branches on where a
/// new event lands would be mispredicted about once per item.
///
/// An item's work ends once, and it holds at least one person while it runs, so there are at
/// most `W` work events at a time. They are kept sorted in a window of that many slots, from
/// `head` on; the slots past the live events hold infinity, so an empty window reads as
/// never-ending work, which ends the trial as no events at all would. A push finds its place by
/// comparing its time with every slot at once, then moves a fixed number of slots up by one,
/// wherever it lands: no branch depends on the times. The smaller the team, the smaller the
/// window, and the less a push compares and moves. Ship events after a review (the work is
/// done, the review is not) are few, and go to a sorted list of their own.
#[derive(Debug, Default)]
struct WindowEvents<const W: usize> {
    times: Vec<f64>,
    tags: Vec<u64>,
    head: usize,
    reviews: SmallEvents,
}

impl<const W: usize> WindowEvents<W> {
    /// Slots of the window's arrays: room for the head to advance, the window, and the slots
    /// a push moves up past its end.
    const SLOTS: usize = SMALL_EVENTS_SLACK + 2 * W;

    /// When the earliest work event happens, as the time's bits: infinity when there is none.
    fn first_bits(&self) -> u64 {
        self.times[self.head].to_bits()
    }

    fn pop_window(&mut self) -> Event {
        let event = (self.times[self.head].to_bits(), self.tags[self.head]);
        self.head += 1;
        event
    }
}

impl<const W: usize> Events for WindowEvents<W> {
    fn clear(&mut self) {
        // Sized here rather than when made: the arrays are made once and cleared every trial.
        self.times.clear();
        self.times.resize(Self::SLOTS, f64::INFINITY);
        self.tags.resize(Self::SLOTS, 0);
        self.head = 0;
        self.reviews.clear();
    }

    #[inline(always)]
    fn push(&mut self, (bits, tag): Event) {
        if tag & WORK_DONE == 0 {
            self.reviews.push((bits, tag));
            return;
        }
        debug_assert!(
            self.times[self.head + W - 1] == f64::INFINITY,
            "more work events than people"
        );
        if self.head >= SMALL_EVENTS_SLACK {
            // Move the window down to the start, and infinity back into the slots it left.
            self.times.copy_within(self.head..self.head + W, 0);
            self.tags.copy_within(self.head..self.head + W, 0);
            self.times[W..].fill(f64::INFINITY);
            self.head = 0;
        }
        let time = f64::from_bits(bits);
        let head = self.head;
        // Where it goes: after the live events due earlier. The window is sorted, so those are
        // a prefix, and its last slot is infinity, never earlier. Every slot is compared at
        // once: the comparisons do not wait on each other as a binary search's would, and they
        // vectorise. An event at the same time may go either side: events at one moment
        // commute.
        let window = &self.times[head..head + W];
        // Times are not negative, so they order as their bits: a slot is earlier when its bits
        // minus the new time's borrow, which the top bit of the difference shows.
        let earlier: u64 = window
            .iter()
            .map(|slot| slot.to_bits().wrapping_sub(bits) >> 63)
            .sum();
        let at = head + earlier as usize;
        // Move a whole window's length of slots up by one; those past the live events are
        // infinity, and stay so.
        self.times.copy_within(at..at + W - 1, at + 1);
        self.tags.copy_within(at..at + W - 1, at + 1);
        self.times[at] = time;
        self.tags[at] = tag;
    }

    fn pop_min(&mut self) -> Option<Event> {
        let review = self.reviews.peek_bits().unwrap_or(u64::MAX);
        // An empty window gives infinity: it is taken only when the reviews' list holds
        // nothing earlier, and then ends the trial, as only never-ending work is left.
        if self.first_bits() <= review {
            Some(self.pop_window())
        } else {
            self.reviews.pop_min()
        }
    }

    fn pop_min_at(&mut self, bits: u64) -> Option<Event> {
        if self.first_bits() == bits {
            Some(self.pop_window())
        } else {
            self.reviews.pop_min_at(bits)
        }
    }
}

#[derive(Debug, Default)]
struct HeapEvents(BinaryHeap<Reverse<Event>>);

impl Events for HeapEvents {
    fn clear(&mut self) {
        self.0.clear();
    }

    fn push(&mut self, event: Event) {
        self.0.push(Reverse(event));
    }

    fn pop_min(&mut self) -> Option<Event> {
        self.0.pop().map(|Reverse(event)| event)
    }

    fn pop_min_at(&mut self, bits: u64) -> Option<Event> {
        match self.0.peek() {
            Some(&Reverse(event)) if event.0 == bits => self.pop_min(),
            _ => None,
        }
    }
}

/// The items ready to start, taken lowest plan position first.
trait Ready {
    /// Empties the set, then inserts the items of `initial`.
    fn reset_to(&mut self, initial: &ReadySet);
    /// Inserts `item` when `now` holds, without branching on it.
    fn insert_if(&mut self, item: usize, now: bool);
    /// Takes the item first in plan order.
    fn pop_min(&mut self) -> Option<usize>;
}

/// Networks of up to this many items (placeholder included) fit [`SmallReady`].
const ONE_SUMMARY_WORD: usize = 64 * 64;

/// The ready set of a network of up to [`ONE_SUMMARY_WORD`] items: a bitset of items under
/// one word of its non-empty words, which the schedule keeps in a register.
#[derive(Debug, Default)]
struct SmallReady {
    words: Vec<u64>,
    /// Bit `w` is set when `words[w]` is not empty.
    summary: u64,
}

impl Ready for SmallReady {
    fn reset_to(&mut self, initial: &ReadySet) {
        debug_assert!(
            initial.summary.len() <= 1,
            "the network fits one summary word"
        );
        self.words.clear();
        self.words.extend_from_slice(&initial.words);
        self.summary = initial.summary.first().copied().unwrap_or(0);
    }

    #[inline(always)]
    fn insert_if(&mut self, item: usize, now: bool) {
        let word = item / 64;
        self.words[word] |= u64::from(now) << (item % 64);
        self.summary |= u64::from(now) << (word % 64);
    }

    #[inline(always)]
    fn pop_min(&mut self) -> Option<usize> {
        if self.summary == 0 {
            return None;
        }
        let word_idx = self.summary.trailing_zeros() as usize;
        let word = self.words[word_idx];
        let rest = word & word.wrapping_sub(1);
        self.words[word_idx] = rest;
        // The word's summary bit goes when its last item does.
        self.summary &= !(u64::from(rest == 0) << word_idx);
        Some(word_idx * 64 + word.trailing_zeros() as usize)
    }
}

/// The items ready to start in a network of any size: a bitset of items under a bitset of its
/// non-empty words, so that taking the first item is two bit scans, without a search.
#[derive(Debug, Clone, Default)]
struct ReadySet {
    words: Vec<u64>,
    /// Bit `w % 64` of `summary[w / 64]` is set when `words[w]` is not empty.
    summary: Vec<u64>,
    /// No summary word before this one has a bit set.
    first: usize,
}

impl ReadySet {
    /// The set of the items that need nothing, to start every trial from.
    fn initial(n_needs: &[u32]) -> ReadySet {
        let mut set = ReadySet {
            words: vec![0u64; n_needs.len().div_ceil(64)],
            summary: vec![0u64; n_needs.len().div_ceil(64 * 64)],
            first: 0,
        };
        for (item, _) in n_needs.iter().enumerate().filter(|(_, needs)| **needs == 0) {
            set.insert_if(item, true);
        }
        set
    }
}

impl Ready for ReadySet {
    fn reset_to(&mut self, initial: &ReadySet) {
        self.words.clear();
        self.words.extend_from_slice(&initial.words);
        self.summary.clear();
        self.summary.extend_from_slice(&initial.summary);
        self.first = initial.first;
    }

    fn insert_if(&mut self, item: usize, now: bool) {
        let word = item / 64;
        self.words[word] |= u64::from(now) << (item % 64);
        let summary = word / 64;
        self.summary[summary] |= u64::from(now) << (word % 64);
        self.first = if now {
            self.first.min(summary)
        } else {
            self.first
        };
    }

    fn pop_min(&mut self) -> Option<usize> {
        let summary = loop {
            match self.summary.get(self.first) {
                None => return None,
                Some(0) => self.first += 1,
                Some(&summary) => break summary,
            }
        };
        let word_idx = self.first * 64 + summary.trailing_zeros() as usize;
        let word = self.words[word_idx];
        let rest = word & (word - 1);
        self.words[word_idx] = rest;
        // The word's summary bit goes when its last item does.
        self.summary[self.first] = summary & !(u64::from(rest == 0) << (word_idx % 64));
        Some(word_idx * 64 + word.trailing_zeros() as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A network from `(max_people, needs, reviews)` per item.
    fn network(people: u32, items: &[(u32, &[u32], &[u32])]) -> Network {
        let n = items.len();
        let mut dependents: Vec<Vec<u32>> = vec![Vec::new(); n];
        for (item, (_, needs, _)) in items.iter().enumerate() {
            for &need in *needs {
                dependents[need as usize].push(item as u32);
            }
        }
        let csr = |lists: Vec<Vec<u32>>| {
            let mut start = vec![0];
            let mut flat = Vec::new();
            for list in lists {
                flat.extend(list);
                start.push(flat.len() as u32);
            }
            (start, flat)
        };
        Network::new(
            people,
            items.iter().map(|(max, _, _)| *max).collect(),
            items
                .iter()
                .map(|(_, needs, _)| needs.len() as u32)
                .collect(),
            csr(dependents),
            csr(items
                .iter()
                .map(|(_, _, reviews)| reviews.to_vec())
                .collect()),
        )
    }

    fn run(network: &Network, efforts: &[f64], focus: f64, leads: &[f64]) -> Vec<f64> {
        let mut scratch = Scratch::default();
        network.run(efforts, focus, |r| leads[r], &mut scratch);
        scratch.ship
    }

    #[test]
    fn a_chain_adds_and_parallel_items_overlap() {
        let chain = network(2, &[(1, &[], &[]), (1, &[0], &[])]);
        assert_eq!(run(&chain, &[5.0, 7.0], 1.0, &[]), [5.0, 12.0]);
        let parallel = network(2, &[(1, &[], &[]), (1, &[], &[])]);
        assert_eq!(run(&parallel, &[5.0, 7.0], 1.0, &[]), [5.0, 7.0]);
        let one_person = network(1, &[(1, &[], &[]), (1, &[], &[])]);
        assert_eq!(run(&one_person, &[5.0, 7.0], 1.0, &[]), [5.0, 12.0]);
    }

    #[test]
    fn max_people_and_focus_set_the_duration() {
        let pair = network(2, &[(2, &[], &[])]);
        assert_eq!(run(&pair, &[10.0], 1.0, &[]), [5.0]);
        assert_eq!(run(&pair, &[10.0], 0.5, &[]), [10.0]);
    }

    #[test]
    fn a_review_longer_than_the_work_decides_the_ship_date_but_frees_the_people() {
        // Item 0 has a 10-day review; item 1 waits for the only person, not for the review.
        let net = network(1, &[(1, &[], &[0]), (1, &[], &[])]);
        assert_eq!(run(&net, &[3.0, 2.0], 1.0, &[10.0]), [10.0, 5.0]);
        // A dependent waits for the ship, review included.
        let net = network(1, &[(1, &[], &[0]), (1, &[0], &[])]);
        assert_eq!(run(&net, &[3.0, 2.0], 1.0, &[10.0]), [10.0, 12.0]);
    }

    #[test]
    fn people_take_the_ready_item_first_in_plan_order() {
        // When item 0 ships, items 1 (now ready) and 2 (ready from the start) both wait for
        // the one person: item 1 comes first in plan order, so it goes first.
        let net = network(1, &[(1, &[], &[]), (1, &[0], &[]), (1, &[], &[])]);
        assert_eq!(run(&net, &[1.0, 1.0, 1.0], 1.0, &[]), [1.0, 2.0, 3.0]);
        // An item that is not ready is passed over: the second person takes item 2 at once.
        let two = network(2, &[(1, &[], &[]), (1, &[0], &[]), (1, &[], &[])]);
        assert_eq!(run(&two, &[1.0, 1.0, 1.0], 1.0, &[]), [1.0, 2.0, 1.0]);
    }

    #[test]
    fn no_people_or_no_focus_means_nothing_ships() {
        let none = network(0, &[(1, &[], &[])]);
        assert_eq!(run(&none, &[1.0], 1.0, &[]), [f64::INFINITY]);
        let idle = network(1, &[(1, &[], &[])]);
        assert_eq!(run(&idle, &[1.0], 0.0, &[]), [f64::INFINITY]);
    }

    #[test]
    fn work_that_never_ends_blocks_only_what_waits_for_it() {
        let net = network(2, &[(1, &[], &[]), (1, &[0], &[]), (1, &[], &[])]);
        assert_eq!(
            run(&net, &[f64::NAN, 1.0, 4.0], 1.0, &[]),
            [f64::INFINITY, f64::INFINITY, 4.0]
        );
    }

    #[test]
    fn the_events_queues_and_ready_sets_schedule_alike() {
        // A deterministic mix of chains, fan-outs, reviews and shared people.
        let needs: Vec<Vec<u32>> = (0..200u32)
            .map(|i| if i < 3 { vec![] } else { vec![i / 2, i - 3] })
            .collect();
        let items: Vec<(u32, &[u32], &[u32])> = needs
            .iter()
            .enumerate()
            .map(|(i, needs)| {
                (
                    1 + (i as u32 % 3),
                    needs.as_slice(),
                    if i % 7 == 0 { &[0u32][..] } else { &[][..] },
                )
            })
            .collect();
        let efforts: Vec<f64> = (0..200)
            .map(|i| 1.0 + f64::from(i * 37 % 11) / 3.0)
            .collect();
        let effort = &efforts[..];
        let lead = |_: usize| 4.5;
        /// The schedule with a window of `W` slots, run twice with the same window and ready
        /// set, as the next trial would reuse them.
        fn in_window<const W: usize>(
            net: &Network,
            effort: &[f64],
            lead: impl Fn(usize) -> f64 + Copy,
        ) -> Vec<f64> {
            let mut scratch = Scratch::default();
            let mut events = WindowEvents::<W>::default();
            let mut ready = SmallReady::default();
            for _ in 0..2 {
                net.run_with(&mut events, &mut ready, effort, 0.7, lead, &mut scratch);
            }
            scratch.ship
        }
        // Team sizes each window holds, the full sizes included.
        for people in [1, 5, 8, 9, 12, 13, WINDOW as u32] {
            let net = network(people, &items);
            let windows: Vec<Vec<f64>> = [
                (people <= 8).then(|| in_window::<8>(&net, effort, lead)),
                (people <= 12).then(|| in_window::<12>(&net, effort, lead)),
                Some(in_window::<WINDOW>(&net, effort, lead)),
            ]
            .into_iter()
            .flatten()
            .collect();
            let mut small = Scratch::default();
            let mut ready = SmallReady::default();
            net.run_with(
                &mut SmallEvents::default(),
                &mut ready,
                effort,
                0.7,
                lead,
                &mut small,
            );
            // The heap with the large ready set, the others with the small one.
            let mut heap = Scratch::default();
            let mut ready = ReadySet::default();
            net.run_with(
                &mut HeapEvents::default(),
                &mut ready,
                effort,
                0.7,
                lead,
                &mut heap,
            );
            assert_eq!(small.ship, heap.ship, "{people} people");
            for window in windows {
                assert_eq!(window, heap.ship, "{people} people");
            }
            assert!(small.ship.iter().all(|time| time.is_finite()));
        }
    }

    #[test]
    fn a_large_team_uses_the_heap_and_works_in_parallel() {
        let items: Vec<(u32, &[u32], &[u32])> = (0..100).map(|_| (1, &[][..], &[][..])).collect();
        let net = network(SMALL_TEAM + 36, &items);
        let ship = run(&net, &[2.0; 100], 1.0, &[]);
        assert!(ship.iter().all(|&time| time == 2.0), "{ship:?}");
    }

    /// Inserts every `every`-th item below `n`, in a scattered order, each with a non-insertion
    /// of the item after it; then takes every item out. Returns what was inserted, in the order
    /// of insertion, and what was taken, in the order taken.
    fn scatter_then_take(set: &mut impl Ready, n: usize, every: usize) -> (Vec<usize>, Vec<usize>) {
        let inserted: Vec<usize> = (0..n)
            .map(|i| i * 7919 % n)
            .filter(|i| i % every == 0)
            .collect();
        for &item in &inserted {
            set.insert_if(item, true);
            set.insert_if(item + 1, false);
        }
        let taken = std::iter::from_fn(|| set.pop_min()).collect();
        (inserted, taken)
    }

    #[test]
    fn the_small_ready_set_gives_items_back_lowest_first() {
        // The largest network it serves: one summary word of 64 words.
        let n = ONE_SUMMARY_WORD;
        let mut initial = vec![1; n];
        initial[4_000] = 0;
        let mut set = SmallReady::default();
        set.reset_to(&ReadySet::initial(&initial));
        let (mut expected, taken) = scatter_then_take(&mut set, n - 1, 3);
        expected.push(4_000);
        expected.sort_unstable();
        expected.dedup();
        assert_eq!(taken, expected);
        // Reset, it holds the initial items again and nothing else.
        set.reset_to(&ReadySet::initial(&initial));
        assert_eq!(set.pop_min(), Some(4_000));
        assert_eq!(set.pop_min(), None);
    }

    #[test]
    fn a_network_past_one_summary_word_schedules_in_plan_order() {
        // 5,000 items, more than the small ready set holds, so the large one serves.
        let n = 5_000u32;
        assert!(n as usize + 1 > ONE_SUMMARY_WORD);
        // Independent items of a day each: three people take them three a day, in plan order.
        let independent: Vec<(u32, &[u32], &[u32])> =
            (0..n).map(|_| (1, &[][..], &[][..])).collect();
        let ship = run(&network(3, &independent), &vec![1.0; n as usize], 1.0, &[]);
        let expected: Vec<f64> = (0..n).map(|i| f64::from(i / 3 + 1)).collect();
        assert_eq!(ship, expected);
        // A chain: each item is released by the one before, a day after it.
        let needs: Vec<[u32; 1]> = (0..n).map(|i| [i.saturating_sub(1)]).collect();
        let chain: Vec<(u32, &[u32], &[u32])> = needs
            .iter()
            .enumerate()
            .map(|(i, need)| (1, if i == 0 { &[][..] } else { &need[..] }, &[][..]))
            .collect();
        let ship = run(&network(3, &chain), &vec![1.0; n as usize], 1.0, &[]);
        let expected: Vec<f64> = (0..n).map(|i| f64::from(i + 1)).collect();
        assert_eq!(ship, expected);
    }

    #[test]
    fn the_ready_set_gives_items_back_lowest_first_across_its_summary_words() {
        // 10,000 items span three summary words; insert a scattered half, then take them.
        let n = 10_000;
        let mut set = ReadySet::initial(&vec![1; n]);
        let (mut expected, taken) = scatter_then_take(&mut set, n, 2);
        expected.sort_unstable();
        assert_eq!(taken, expected);
        // Emptied, it takes new items again, below where it stopped.
        set.insert_if(3, true);
        set.insert_if(9_000, true);
        assert_eq!(set.pop_min(), Some(3));
        assert_eq!(set.pop_min(), Some(9_000));
        assert_eq!(set.pop_min(), None);
    }

    #[test]
    fn negative_draws_are_no_work() {
        let net = network(1, &[(1, &[], &[])]);
        assert_eq!(run(&net, &[-3.0], 1.0, &[]), [0.0]);
    }
}
