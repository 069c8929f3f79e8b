//! A library's concurrent code, written once against `super::sync` (std in the shipped
//! build, racelab's primitives when checked): an account whose `withdraw` checks the
//! balance under one lock and takes the money under another acquisition of it — two
//! withdrawals can both pass the check. `withdraw_fixed` holds the lock across both.

use super::sync::{Arc, Mutex};
use super::thread;

/// A shared account.
pub struct Account {
    balance: Mutex<u64>,
}

impl Account {
    /// An account holding `balance`.
    pub fn new(balance: u64) -> Account {
        Account {
            balance: Mutex::new(balance),
        }
    }

    /// Takes `amount` if the balance covers it (the bug: the lock is released between the
    /// check and the update). Returns whether it did.
    pub fn withdraw(&self, amount: u64) -> bool {
        let enough = *self.balance.lock().unwrap() >= amount;
        if enough {
            let mut balance = self.balance.lock().unwrap();
            *balance = balance.wrapping_sub(amount);
        }
        enough
    }

    /// Takes `amount` if the balance covers it, checking and updating under one lock.
    pub fn withdraw_fixed(&self, amount: u64) -> bool {
        let mut balance = self.balance.lock().unwrap();
        let enough = *balance >= amount;
        if enough {
            *balance -= amount;
        }
        enough
    }

    /// The balance now.
    pub fn balance(&self) -> u64 {
        *self.balance.lock().unwrap()
    }
}

/// Two threads withdraw 80 each from 100; returns the final balance (it must never wrap
/// below zero: 20 or, had both been refused, 100).
pub fn two_withdrawals(fixed: bool) -> u64 {
    let account = Arc::new(Account::new(100));
    let handles: Vec<_> = (0..2)
        .map(|_| {
            let account = Arc::clone(&account);
            thread::spawn(move || {
                if fixed {
                    account.withdraw_fixed(80)
                } else {
                    account.withdraw(80)
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    account.balance()
}
