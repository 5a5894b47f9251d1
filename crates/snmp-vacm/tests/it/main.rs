//! Integration tests of snmp-vacm: property tests of the view rules.

use proptest::prelude::*;
use snmp_smi::Oid;
use snmp_vacm::{Vacm, ViewType};

/// OIDs with small arcs, so that random OIDs often share prefixes.
fn oid(max_len: usize) -> impl Strategy<Value = Vec<u32>> {
    prop::collection::vec(0_u32..4, 1..max_len)
}

proptest! {
    /// RFC 3415 section 5: a view whose only family is the included subtree S (no mask)
    /// contains exactly the OIDs that start with S.
    #[test]
    fn included_subtree_is_exactly_its_prefix(s in oid(8), o in oid(12)) {
        let subtree = Oid::from_slice(&s).unwrap();
        let candidate = Oid::from_slice(&o).unwrap();
        let mut v = Vacm::new();
        v.add_view("v", subtree.clone(), &[], ViewType::Included).unwrap();
        prop_assert_eq!(v.in_view(b"v", &candidate), candidate.starts_with(&subtree));
        // Also for OIDs built to start with S.
        let below = subtree.extend(&o).unwrap();
        prop_assert!(v.in_view(b"v", &below));
    }

    /// An all-ones mask is the same as no mask, whatever its length.
    #[test]
    fn all_ones_mask_is_no_mask(s in oid(8), o in oid(12), n in 0_usize..=16) {
        let subtree = Oid::from_slice(&s).unwrap();
        let candidate = Oid::from_slice(&o).unwrap();
        let mut v = Vacm::new();
        v.add_view("v", subtree.clone(), &vec![0xff; n], ViewType::Included).unwrap();
        prop_assert_eq!(v.in_view(b"v", &candidate), candidate.starts_with(&subtree));
    }

    /// An excluded subtree E below an included S: in the view exactly when under S and not
    /// under E.
    #[test]
    fn excluded_below_included(s in oid(5), e in oid(4), o in oid(12)) {
        let included = Oid::from_slice(&s).unwrap();
        let excluded = included.extend(&e).unwrap();
        let candidate = Oid::from_slice(&o).unwrap();
        let mut v = Vacm::new();
        v.add_view("v", excluded.clone(), &[], ViewType::Excluded).unwrap();
        v.add_view("v", included.clone(), &[], ViewType::Included).unwrap();
        prop_assert_eq!(
            v.in_view(b"v", &candidate),
            candidate.starts_with(&included) && !candidate.starts_with(&excluded)
        );
    }
}
