mod generator;
mod responder;
mod util;
