//! Colours for keys and consumers: the Okabe–Ito palette, which stays
//! distinguishable for the common kinds of colour blindness. Every colour
//! on screen also comes with a text label.

pub const OKABE_ITO: [&str; 8] =
    ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#7f7f7f"];

/// A stable colour for a record key (FNV-1a, so it is the same everywhere).
pub fn key_colour(key: Option<&str>) -> &'static str {
    match key {
        None => "#d5dbe3",
        Some(key) => {
            let hash = key
                .bytes()
                .fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3));
            OKABE_ITO[(hash % OKABE_ITO.len() as u64) as usize]
        }
    }
}

/// The colour of the n-th consumer on screen.
pub fn consumer_colour(index: usize) -> &'static str {
    OKABE_ITO[index % OKABE_ITO.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_keep_their_colour_and_spread_over_the_palette() {
        assert_eq!(key_colour(Some("user-1")), key_colour(Some("user-1")));
        let distinct: std::collections::BTreeSet<_> =
            (0..40).map(|i| key_colour(Some(&format!("k{i}")))).collect();
        assert!(distinct.len() >= 6, "{distinct:?}");
        assert_eq!(key_colour(None), "#d5dbe3");
    }
}
