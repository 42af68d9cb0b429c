//! An append-only list that clones in O(len / CHUNK): full chunks are shared
//! between clones, only the open chunk is copied when a shared list grows.
//!
//! The folded view is cloned each time new events arrive while the previous
//! view is still on screen; with plain `Vec`s that clone copied every record
//! of every partition.

use std::rc::Rc;

// Small: a batch of events copies the open chunk of every list it appends
// to that an earlier view still shares.
const CHUNK: usize = 64;

#[derive(Clone, Debug)]
pub struct AppendLog<T> {
    chunks: Vec<Rc<Vec<T>>>,
    len: usize,
}

impl<T> Default for AppendLog<T> {
    fn default() -> Self {
        Self { chunks: Vec::new(), len: 0 }
    }
}

impl<T: Clone> AppendLog<T> {
    pub fn push(&mut self, item: T) {
        match self.chunks.last_mut() {
            Some(last) if last.len() < CHUNK => Rc::make_mut(last).push(item),
            _ => {
                let mut chunk = Vec::with_capacity(CHUNK);
                chunk.push(item);
                self.chunks.push(Rc::new(chunk));
            }
        }
        self.len += 1;
    }

    pub fn extend(&mut self, items: impl IntoIterator<Item = T>) {
        for item in items {
            self.push(item);
        }
    }
}

impl<T> AppendLog<T> {
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn get(&self, index: usize) -> Option<&T> {
        self.chunks.get(index / CHUNK)?.get(index % CHUNK)
    }

    pub fn last(&self) -> Option<&T> {
        self.len.checked_sub(1).and_then(|i| self.get(i))
    }

    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &T> {
        self.chunks.iter().flat_map(|c| c.iter())
    }

    /// The last `n` items with their indexes, oldest first.
    pub fn tail(&self, n: usize) -> impl Iterator<Item = (usize, &T)> {
        let from = self.len.saturating_sub(n);
        (from..self.len).filter_map(move |i| self.get(i).map(|item| (i, item)))
    }
}

impl<T: PartialEq> PartialEq for AppendLog<T> {
    fn eq(&self, other: &Self) -> bool {
        self.len == other.len
            && self.chunks.iter().zip(&other.chunks).all(|(a, b)| Rc::ptr_eq(a, b) || a == b)
    }
}

impl<T: Eq> Eq for AppendLog<T> {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pushes_index_and_iterate_across_chunks() {
        let mut log = AppendLog::default();
        log.extend(0..(CHUNK * 2 + 5));
        assert_eq!(log.len(), CHUNK * 2 + 5);
        assert_eq!(log.get(CHUNK), Some(&CHUNK));
        assert_eq!(log.get(CHUNK * 2 + 4), Some(&(CHUNK * 2 + 4)));
        assert_eq!(log.get(CHUNK * 2 + 5), None);
        assert_eq!(log.last(), Some(&(CHUNK * 2 + 4)));
        assert!(log.iter().copied().eq(0..(CHUNK * 2 + 5)));
        assert!(log.tail(3).all(|(i, &item)| i == item));
        assert!(log.tail(3).map(|(_, &item)| item).eq((CHUNK * 2 + 2)..(CHUNK * 2 + 5)));
    }

    #[test]
    fn clones_share_full_chunks_and_stay_independent() {
        let mut a = AppendLog::default();
        a.extend(0..(CHUNK + 1));
        let b = a.clone();
        a.push(999);
        assert!(Rc::ptr_eq(&a.chunks[0], &b.chunks[0]), "the full chunk is shared");
        assert_eq!((a.len(), b.len()), (CHUNK + 2, CHUNK + 1));
        assert_eq!(b.last(), Some(&CHUNK));
        assert_ne!(a, b);
        let mut c = b.clone();
        c.push(999);
        assert_eq!(a, c, "equal contents compare equal");
    }
}
