//! Images: pulling, pushing, listing, removing, saving and loading, over the store.

pub mod manifest;
