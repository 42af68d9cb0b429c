//! A map kept as one sorted `Vec`: the same order and answers as
//! `BTreeMap`, for maps that are small or built in key order: the front
//! end's cluster view (topics, consumers, groups, members, cursors,
//! committed offsets) and the model's name indexes and groups (members,
//! static members, committed offsets). Each `BTreeMap<K, V>` type compiles
//! its own node code into the `.wasm`; this is a binary search and a `Vec`:
//! 8 KB less gzipped for those 17 maps (BENCHMARKS.md). Inserting out of
//! order moves the entries after the new one, so a map that takes many
//! keys in no order stays a `BTreeMap`.

use std::borrow::Borrow;
use std::fmt;

#[derive(Clone, PartialEq, Eq)]
pub struct VecMap<K, V> {
    entries: Vec<(K, V)>,
}

impl<K, V> Default for VecMap<K, V> {
    fn default() -> Self {
        VecMap { entries: Vec::new() }
    }
}

impl<K: fmt::Debug, V: fmt::Debug> fmt::Debug for VecMap<K, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.entries.iter().map(|(k, v)| (k, v))).finish()
    }
}

pub type Iter<'a, K, V> = std::iter::Map<std::slice::Iter<'a, (K, V)>, fn(&'a (K, V)) -> (&'a K, &'a V)>;

impl<K: Ord, V> VecMap<K, V> {
    pub const fn new() -> Self {
        VecMap { entries: Vec::new() }
    }

    fn find<Q: Ord + ?Sized>(&self, key: &Q) -> Result<usize, usize>
    where
        K: Borrow<Q>,
    {
        self.entries.binary_search_by(|(k, _)| k.borrow().cmp(key))
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn get<Q: Ord + ?Sized>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
    {
        self.find(key).ok().map(|i| &self.entries[i].1)
    }

    pub fn get_mut<Q: Ord + ?Sized>(&mut self, key: &Q) -> Option<&mut V>
    where
        K: Borrow<Q>,
    {
        self.find(key).ok().map(|i| &mut self.entries[i].1)
    }

    pub fn contains_key<Q: Ord + ?Sized>(&self, key: &Q) -> bool
    where
        K: Borrow<Q>,
    {
        self.find(key).is_ok()
    }

    pub fn insert(&mut self, key: K, value: V) -> Option<V> {
        match self.find(&key) {
            Ok(i) => Some(std::mem::replace(&mut self.entries[i].1, value)),
            Err(i) => {
                self.entries.insert(i, (key, value));
                None
            }
        }
    }

    pub fn remove<Q: Ord + ?Sized>(&mut self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
    {
        self.find(key).ok().map(|i| self.entries.remove(i).1)
    }

    pub fn get_key_value<Q: Ord + ?Sized>(&self, key: &Q) -> Option<(&K, &V)>
    where
        K: Borrow<Q>,
    {
        self.find(key).ok().map(|i| (&self.entries[i].0, &self.entries[i].1))
    }

    /// `BTreeMap::entry`'s commonest uses: the value at `key`, made when
    /// there is none.
    pub fn entry(&mut self, key: K) -> Entry<'_, K, V> {
        Entry { map: self, key }
    }

    pub fn retain(&mut self, mut keep: impl FnMut(&K, &mut V) -> bool) {
        self.entries.retain_mut(|(k, v)| keep(k, v));
    }

    pub fn iter(&self) -> Iter<'_, K, V> {
        self.entries.iter().map(|(k, v)| (k, v))
    }

    pub fn iter_mut(&mut self) -> impl DoubleEndedIterator<Item = (&K, &mut V)> {
        self.entries.iter_mut().map(|(k, v)| (&*k, v))
    }

    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &K> + ExactSizeIterator + Clone {
        self.entries.iter().map(|(k, _)| k)
    }

    pub fn values(&self) -> impl DoubleEndedIterator<Item = &V> + ExactSizeIterator + Clone {
        self.entries.iter().map(|(_, v)| v)
    }
}

pub struct Entry<'a, K, V> {
    map: &'a mut VecMap<K, V>,
    key: K,
}

impl<'a, K: Ord, V> Entry<'a, K, V> {
    pub fn or_insert_with(self, make: impl FnOnce() -> V) -> &'a mut V {
        let entries = &mut self.map.entries;
        let i = match entries.binary_search_by(|(k, _)| k.cmp(&self.key)) {
            Ok(i) => i,
            Err(i) => {
                entries.insert(i, (self.key, make()));
                i
            }
        };
        &mut entries[i].1
    }

    pub fn or_default(self) -> &'a mut V
    where
        V: Default,
    {
        self.or_insert_with(V::default)
    }
}

impl<K: Ord, V> FromIterator<(K, V)> for VecMap<K, V> {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        let mut map = VecMap::new();
        map.extend(iter);
        map
    }
}

impl<K: Ord, V> Extend<(K, V)> for VecMap<K, V> {
    fn extend<I: IntoIterator<Item = (K, V)>>(&mut self, iter: I) {
        for (k, v) in iter {
            self.insert(k, v);
        }
    }
}

impl<K: Ord, V, const N: usize> From<[(K, V); N]> for VecMap<K, V> {
    fn from(entries: [(K, V); N]) -> Self {
        entries.into_iter().collect()
    }
}

/// Panics when `key` is absent, as `BTreeMap`'s indexing does.
impl<K: Ord + Borrow<Q>, Q: Ord + ?Sized, V> std::ops::Index<&Q> for VecMap<K, V> {
    type Output = V;
    fn index(&self, key: &Q) -> &V {
        self.get(key).expect("no entry found for key")
    }
}

impl<'a, K: Ord, V> IntoIterator for &'a VecMap<K, V> {
    type Item = (&'a K, &'a V);
    type IntoIter = Iter<'a, K, V>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<K, V> IntoIterator for VecMap<K, V> {
    type Item = (K, V);
    type IntoIter = std::vec::IntoIter<(K, V)>;
    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::rng::Pcg32;

    /// Random inserts, removals, entries and retains give the same contents,
    /// order and answers as std's `BTreeMap`.
    #[test]
    fn answers_as_btree_map_does() {
        let mut rng = Pcg32::new(7, 1);
        let mut map: VecMap<u32, u32> = VecMap::new();
        let mut std_map: BTreeMap<u32, u32> = BTreeMap::new();
        for step in 0..20_000 {
            let key = rng.below(300);
            let value = rng.next_u32();
            match rng.below(6) {
                0 | 1 => {
                    assert_eq!(map.insert(key, value), std_map.insert(key, value));
                }
                2 => {
                    assert_eq!(map.remove(&key), std_map.remove(&key));
                }
                3 => {
                    *map.entry(key).or_default() += 1;
                    *std_map.entry(key).or_default() += 1;
                }
                4 if step % 500 == 0 => {
                    map.retain(|k, v| (k + *v) % 3 != 0);
                    std_map.retain(|k, v| (k + *v) % 3 != 0);
                }
                _ => {
                    assert_eq!(map.get(&key), std_map.get(&key));
                    assert_eq!(map.get_key_value(&key), std_map.get_key_value(&key));
                    assert_eq!(map.contains_key(&key), std_map.contains_key(&key));
                }
            }
        }
        assert!(map.iter().eq(std_map.iter()));
        assert!(map.iter().rev().eq(std_map.iter().rev()));
        assert!(map.keys().eq(std_map.keys()) && map.values().eq(std_map.values()));
        assert_eq!((map.len(), map.iter().next()), (std_map.len(), std_map.iter().next()));
    }

    #[test]
    fn collecting_keeps_the_last_of_equal_keys_as_btree_map_does() {
        let pairs = [(3, "a"), (1, "b"), (3, "c"), (2, "d")];
        let map: VecMap<i32, &str> = pairs.into_iter().collect();
        let std_map: BTreeMap<i32, &str> = pairs.into_iter().collect();
        assert!(map.iter().eq(std_map.iter()));
        assert_eq!(format!("{map:?}"), format!("{std_map:?}"));
        let names: VecMap<String, u8> = VecMap::from([("b".to_string(), 2), ("a".to_string(), 1)]);
        assert_eq!(names.get("a"), Some(&1), "looked up by &str, as BTreeMap<String, _> is");
    }
}
