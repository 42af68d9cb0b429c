//! The one reducer: every change to what the UI shows goes through
//! `State::reduce(Action)`, as in yew's function_todomvc example.

use std::rc::Rc;

use yew::Reducible;

use crate::i18n::Lang;

/// Where the view's data comes from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Mode {
    /// The built-in deterministic model, running in the browser.
    #[default]
    Offline,
    /// A real cluster through the gateway.
    Live,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct State {
    pub lang: Lang,
    pub mode: Mode,
    /// False until a gateway can be reached; Live cannot be chosen before.
    pub live_available: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    SetLang(Lang),
    SetMode(Mode),
}

impl State {
    pub fn new(lang: Lang) -> Self {
        Self {
            lang,
            ..Self::default()
        }
    }

    /// The pure transition, testable without a browser.
    pub fn apply(&self, action: Action) -> State {
        let mut next = self.clone();
        match action {
            Action::SetLang(lang) => next.lang = lang,
            // Choosing Live without a gateway would leave an empty, broken
            // view; the switch is disabled, and the reducer holds the line too.
            Action::SetMode(Mode::Live) if !self.live_available => {}
            Action::SetMode(mode) => next.mode = mode,
        }
        next
    }
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let next = self.apply(action);
        if next == *self { self } else { Rc::new(next) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_switches_both_ways() {
        let s = State::new(Lang::En).apply(Action::SetLang(Lang::Ko));
        assert_eq!(s.lang, Lang::Ko);
        assert_eq!(s.apply(Action::SetLang(Lang::En)).lang, Lang::En);
    }

    #[test]
    fn live_mode_is_refused_without_a_gateway() {
        let s = State::new(Lang::En);
        assert_eq!(s.apply(Action::SetMode(Mode::Live)).mode, Mode::Offline);
        let with_gateway = State {
            live_available: true,
            ..s
        };
        assert_eq!(
            with_gateway.apply(Action::SetMode(Mode::Live)).mode,
            Mode::Live
        );
    }

    #[test]
    fn reducer_keeps_the_same_rc_when_nothing_changes() {
        let s = Rc::new(State::new(Lang::En));
        let same = s.clone().reduce(Action::SetLang(Lang::En));
        assert!(Rc::ptr_eq(&s, &same));
    }
}
