//! When a round reminds those who have not answered: on the days before closing that the coordinator chose.
//!
//! The reminder for *d* days is due from the day `closes − d` until the round closes, and only while the round is
//! open. When several are due at once (a server was down on the day of an earlier one), one e-mail goes out, for
//! the latest (the fewest days left), and the earlier ones count as sent: nobody gets two reminders at once.

use super::{RoundPhase, RoundWindow};
use jiff::civil::Date;

/// The reminders due on `today`, fewest days before closing first; empty when the round is not open.
pub fn due(window: &RoundWindow, reminder_days: &[u16], today: Date) -> Vec<u16> {
    if window.phase(today) != RoundPhase::Open {
        return vec![];
    }
    let mut due: Vec<u16> = reminder_days
        .iter()
        .copied()
        .filter(|&d| window.closes.checked_sub(jiff::Span::new().days(i64::from(d))).is_ok_and(|day| day <= today))
        .collect();
    due.sort_unstable();
    due.dedup();
    due
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> Date {
        s.parse().expect("date")
    }

    #[test]
    fn reminders_fall_due_on_their_day_and_stop_when_the_round_closes() {
        let w = RoundWindow::new(date("2026-09-01"), date("2026-09-30")).expect("window");
        assert!(due(&w, &[7, 2], date("2026-09-22")).is_empty(), "eight days left: none yet");
        assert_eq!(due(&w, &[7, 2], date("2026-09-23")), vec![7]);
        assert_eq!(due(&w, &[2, 7], date("2026-09-29")), vec![2, 7], "both due, fewest days first");
        assert_eq!(due(&w, &[7, 2], date("2026-09-30")), vec![2, 7]);
        assert!(due(&w, &[7, 2], date("2026-10-01")).is_empty(), "a closed round sends none");
        let later = RoundWindow::new(date("2026-09-25"), date("2026-09-30")).expect("window");
        assert!(due(&later, &[7], date("2026-09-24")).is_empty(), "a round that has not opened sends none");
        assert_eq!(due(&later, &[7], date("2026-09-25")), vec![7], "due before opening: sent on the first day");
    }
}
