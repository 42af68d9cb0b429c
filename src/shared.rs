//! Copy-on-write parts of the folded view.
//!
//! The view is cloned for every batch of events while the previous one is
//! still on screen. Each consumer, group and partition sits behind a
//! `Shared`, so that clone copies pointers, and folding a batch copies only
//! the parts its events touch.

use std::ops::{Deref, DerefMut};
use std::rc::Rc;

#[derive(Debug, Default)]
pub struct Shared<T>(Rc<T>);

impl<T> Shared<T> {
    pub fn new(value: T) -> Self {
        Self(Rc::new(value))
    }
}

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Self(Rc::clone(&self.0))
    }
}

impl<T> From<T> for Shared<T> {
    fn from(value: T) -> Self {
        Self::new(value)
    }
}

impl<T> Deref for Shared<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

/// Writing copies the part first when another view still shares it.
impl<T: Clone> DerefMut for Shared<T> {
    fn deref_mut(&mut self) -> &mut T {
        Rc::make_mut(&mut self.0)
    }
}

impl<T: PartialEq> PartialEq for Shared<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0) || *self.0 == *other.0
    }
}

impl<T: Eq> Eq for Shared<T> {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clones_share_until_written() {
        let a = Shared::new(vec![1, 2]);
        let mut b = a.clone();
        assert!(Rc::ptr_eq(&a.0, &b.0));
        b.push(3);
        assert_eq!((&*a, &*b), (&vec![1, 2], &vec![1, 2, 3]));
        assert!(!Rc::ptr_eq(&a.0, &b.0));
        assert_ne!(a, b);
        assert_eq!(a, Shared::new(vec![1, 2]), "equal contents compare equal");
    }
}
