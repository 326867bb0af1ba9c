//! Roles in a workspace and who may edit which field, enforced by the server.
//!
//! The business side owns `value`, `value_once` and `target`; the technical side owns
//! `effort`, `health`, `risk`, `max_people` and review lead times (as in `SCENARIO.md`). Each
//! side writes its own estimate of a field both sides estimate, so either may add the other
//! side's view for the disagreement map. The descriptive fields of an item (title, needs,
//! kind, ...) are shared: both sides may edit them. Viewers read; admins may do everything,
//! and manage members.

use tension_model::{Item, Side};

/// A member's role in a workspace.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    Business,
    Technical,
    Viewer,
    Admin,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Business, Role::Technical, Role::Viewer, Role::Admin];

    pub fn name(self) -> &'static str {
        match self {
            Role::Business => "business",
            Role::Technical => "technical",
            Role::Viewer => "viewer",
            Role::Admin => "admin",
        }
    }

    pub fn parse(text: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.name() == text)
    }

    /// The side a role speaks for.
    pub fn side(self) -> Option<Side> {
        match self {
            Role::Business => Some(Side::Business),
            Role::Technical => Some(Side::Technical),
            Role::Viewer | Role::Admin => None,
        }
    }

    /// May propose items and raise objections.
    pub fn may_propose(self) -> bool {
        self != Role::Viewer
    }
}

/// Item fields either side may edit.
pub const SHARED_ITEM_FIELDS: [&str; 10] = [
    "title",
    "description",
    "kind",
    "proposed_by",
    "needs",
    "reviews",
    "must",
    "alternatives",
    "restores_budget",
    "id",
];

/// Item fields owned by one side.
pub const OWNED_ITEM_FIELDS: [&str; 7] = [
    "value",
    "value_once",
    "target",
    "effort",
    "health",
    "risk",
    "max_people",
];

/// Why an edit is refused: the side that owns what was changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Forbidden {
    pub field: String,
    pub owner: Option<Side>,
}

impl Forbidden {
    pub fn message(&self, role: Role) -> String {
        match self.owner {
            Some(side) => format!(
                "`{}` is owned by the {} side: only a member with the `{}` role (or an admin) may change it, and you are `{}`",
                self.field,
                side.name(),
                side.name(),
                role.name()
            ),
            None if role == Role::Viewer => format!(
                "viewers read: the `viewer` role may not change `{}`",
                self.field
            ),
            None => format!("`{}` cannot be changed by `{}`", self.field, role.name()),
        }
    }
}

/// Whether `role` may change `field` of an item, where `side` is the side whose estimate
/// changed (`None`: the field as a whole, or a field that has no sides).
pub fn may_edit_item(role: Role, field: &str, side: Option<Side>) -> Result<(), Forbidden> {
    let forbid = |owner| {
        Err(Forbidden {
            field: field.to_owned(),
            owner,
        })
    };
    match role {
        Role::Admin => Ok(()),
        Role::Viewer => forbid(None),
        Role::Business | Role::Technical => {
            let mine = role.side();
            if SHARED_ITEM_FIELDS.contains(&field) {
                return Ok(());
            }
            let Some(owner) = Item::owner_of(field) else {
                return forbid(None);
            };
            // A side writes its own estimate of any field; the owner's estimate only the owner.
            let changed = side.unwrap_or(owner);
            if Some(changed) == mine {
                Ok(())
            } else {
                forbid(Some(changed))
            }
        }
    }
}

/// Whether `role` may change a review's field: lead times are the technical side's, the rest
/// is shared.
pub fn may_edit_review(role: Role, field: &str, side: Option<Side>) -> Result<(), Forbidden> {
    let forbid = |owner| {
        Err(Forbidden {
            field: field.to_owned(),
            owner,
        })
    };
    match role {
        Role::Admin => Ok(()),
        Role::Viewer => forbid(None),
        Role::Business | Role::Technical if field == "lead_time" => {
            let changed = side.unwrap_or(Side::Technical);
            if role.side() == Some(changed) {
                Ok(())
            } else {
                forbid(Some(changed))
            }
        }
        Role::Business | Role::Technical => Ok(()),
    }
}
