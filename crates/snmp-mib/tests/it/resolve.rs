//! Names and OIDs of real modules.
