//! The vacmViewTreeFamilyTable (RFC 3415 section 5): view subtree families with masks, and the
//! "is this OID in the view" decision.

use alloc::boxed::Box;

use snmp_smi::Oid;

use crate::error::AccessError;
use crate::model::ViewType;

/// The longest vacmViewTreeFamilyMask: `OCTET STRING (SIZE (0..16))`, one bit per sub-identifier
/// of the first 128.
pub(crate) const MAX_MASK_LEN: usize = 16;

/// One row of the vacmViewTreeFamilyTable, for one view name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Family {
    pub(crate) subtree: Oid,
    pub(crate) mask: Box<[u8]>,
    pub(crate) view_type: ViewType,
}

impl Family {
    /// RFC 3415, vacmViewTreeFamilyMask: an OID is in the family when it has at least as many
    /// sub-identifiers as the subtree and every sub-identifier whose mask bit is 1 equals the
    /// subtree's. Bit 0 of the mask's first octet (its most significant bit) is the first
    /// sub-identifier; a missing bit is 1; bits beyond the subtree are not used.
    pub(crate) fn matches(&self, oid: &Oid) -> bool {
        let subtree = self.subtree.as_slice();
        let oid = oid.as_slice();
        oid.len() >= subtree.len()
            && subtree
                .iter()
                .zip(oid)
                .enumerate()
                .all(|(i, (s, o))| s == o || !mask_bit(&self.mask, i))
    }
}

/// The mask bit of sub-identifier `i` (0-based); 1 where the mask is too short.
fn mask_bit(mask: &[u8], i: usize) -> bool {
    mask.get(i / 8)
        .is_none_or(|octet| octet & (0x80_u8 >> (i % 8)) != 0)
}

/// Adds or replaces (same subtree: the table's index is view name + subtree) a family, keeping
/// the list in decision order: most sub-identifiers first, then lexicographically greatest, so
/// the first family that matches an OID is the one RFC 3415 says decides.
pub(crate) fn insert_family(families: &mut alloc::vec::Vec<Family>, family: Family) {
    families.retain(|f| f.subtree != family.subtree);
    let at = families
        .iter()
        .position(|f| decides_before(&family.subtree, &f.subtree))
        .unwrap_or(families.len());
    families.insert(at, family);
}

/// Whether a family with subtree `a` takes precedence over one with subtree `b`.
fn decides_before(a: &Oid, b: &Oid) -> bool {
    (a.len(), a) > (b.len(), b)
}

/// A view resolved once by [`Vacm::view_for`](crate::Vacm::view_for): checks many OIDs against
/// the same view without looking up the group, access entry and view name again.
#[derive(Clone, Copy, Debug)]
pub struct View<'a> {
    name: &'a [u8],
    families: &'a [Family],
}

impl<'a> View<'a> {
    pub(crate) fn new(name: &'a [u8], families: &'a [Family]) -> Self {
        Self { name, families }
    }

    /// The view's name (vacmViewTreeFamilyViewName).
    pub fn name(&self) -> &'a [u8] {
        self.name
    }

    /// Whether `oid` is in the view (RFC 3415 section 3.2 step 5): the family with the longest
    /// matching subtree decides (equal lengths: the lexicographically greater subtree); an OID
    /// that no family matches is not in the view.
    pub fn contains(&self, oid: &Oid) -> bool {
        self.families
            .iter()
            .find(|f| f.matches(oid))
            .is_some_and(|f| f.view_type == ViewType::Included)
    }

    /// [`contains`](Self::contains) as `isAccessAllowed` answers: `Ok` (accessAllowed) or
    /// [`AccessError::NotInView`].
    pub fn check(&self, oid: &Oid) -> Result<(), AccessError> {
        if self.contains(oid) {
            Ok(())
        } else {
            Err(AccessError::NotInView)
        }
    }
}

#[cfg(test)]
mod tests {
    use alloc::vec::Vec;

    use snmp_smi::oid;

    use super::*;

    fn family(subtree: Oid, mask: &[u8], view_type: ViewType) -> Family {
        Family {
            subtree,
            mask: mask.into(),
            view_type,
        }
    }

    /// RFC 3415 vacmViewTreeFamilyMask: missing mask bits are 1, so an empty mask is an exact
    /// subtree match; a shorter OID is never in the family.
    #[test]
    fn empty_mask_is_plain_subtree() {
        let f = family(oid!(1, 3, 6, 1, 2, 1, 1), &[], ViewType::Included);
        assert!(f.matches(&oid!(1, 3, 6, 1, 2, 1, 1)));
        assert!(f.matches(&oid!(1, 3, 6, 1, 2, 1, 1, 1, 0)));
        assert!(!f.matches(&oid!(1, 3, 6, 1, 2, 1, 2, 1, 0)));
        assert!(!f.matches(&oid!(1, 3, 6, 1, 2, 1)));
    }

    /// RFC 3415 section 5 (vacmViewTreeFamilyMask DESCRIPTION): subtree
    /// ifEntry.ifIndex.5 = 1.3.6.1.2.1.2.2.1.1.5 with mask ff:a0 (1111 1111 1010 0000) leaves
    /// the 10th sub-identifier (the column) wild and so covers every column of row 5.
    #[test]
    fn mask_ff_a0_covers_one_if_table_row() {
        let f = family(
            oid!(1, 3, 6, 1, 2, 1, 2, 2, 1, 1, 5),
            &[0xff, 0xa0],
            ViewType::Included,
        );
        for column in [1, 2, 10, 22] {
            assert!(
                f.matches(&Oid::from_slice(&[1, 3, 6, 1, 2, 1, 2, 2, 1, column, 5]).unwrap()),
                "{column}"
            );
        }
        // Deeper OIDs below a matching instance match too.
        assert!(f.matches(&oid!(1, 3, 6, 1, 2, 1, 2, 2, 1, 7, 5, 0)));
        // Another row, another table, another entry, a prefix of the family: no.
        assert!(!f.matches(&oid!(1, 3, 6, 1, 2, 1, 2, 2, 1, 2, 6)));
        assert!(!f.matches(&oid!(1, 3, 6, 1, 2, 1, 2, 3, 1, 2, 5)));
        assert!(!f.matches(&oid!(1, 3, 6, 1, 2, 1, 2, 2, 2, 2, 5)));
        assert!(!f.matches(&oid!(1, 3, 6, 1, 2, 1, 2, 2, 1, 2)));
    }

    /// Mask bits beyond the subtree's length are not used: ifEntry (9 sub-identifiers) with
    /// ff:a0 is the whole of ifEntry, not one row.
    #[test]
    fn mask_bits_beyond_subtree_are_ignored() {
        let f = family(
            oid!(1, 3, 6, 1, 2, 1, 2, 2, 1),
            &[0xff, 0xa0],
            ViewType::Included,
        );
        assert!(f.matches(&oid!(1, 3, 6, 1, 2, 1, 2, 2, 1, 2, 5)));
        assert!(f.matches(&oid!(1, 3, 6, 1, 2, 1, 2, 2, 1, 2, 6)));
        assert!(!f.matches(&oid!(1, 3, 6, 1, 2, 1, 2, 2, 2, 2, 5)));
    }

    /// A zero bit inside the first octet: 1.3.6.1.2 with mask e8 (1110 1000) leaves the 4th
    /// sub-identifier wild.
    #[test]
    fn wildcard_inside_first_octet() {
        let f = family(oid!(1, 3, 6, 1, 2), &[0xe8], ViewType::Included);
        // 0xe8 = 1110 1000: bits 1-3 and 5 set, bit 4 wild.
        assert!(f.matches(&oid!(1, 3, 6, 1, 2, 9)));
        assert!(f.matches(&oid!(1, 3, 6, 4, 2, 9)));
        assert!(!f.matches(&oid!(1, 3, 6, 4, 3, 9)));
        assert!(!f.matches(&oid!(1, 3, 7, 1, 2, 9)));
    }

    #[test]
    fn insert_keeps_decision_order_and_replaces_same_subtree() {
        let mut v = Vec::new();
        insert_family(&mut v, family(oid!(1, 3, 6), &[], ViewType::Included));
        insert_family(&mut v, family(oid!(1, 3, 6, 1, 4), &[], ViewType::Excluded));
        insert_family(&mut v, family(oid!(1, 3, 6, 1, 2), &[], ViewType::Excluded));
        insert_family(&mut v, family(oid!(1, 3, 6, 1, 2), &[], ViewType::Included));
        let order: Vec<_> = v.iter().map(|f| (f.subtree.clone(), f.view_type)).collect();
        assert_eq!(
            order,
            [
                (oid!(1, 3, 6, 1, 4), ViewType::Excluded),
                (oid!(1, 3, 6, 1, 2), ViewType::Included),
                (oid!(1, 3, 6), ViewType::Included),
            ]
        );
    }
}
