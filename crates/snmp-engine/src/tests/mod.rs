mod generator;
mod util;
