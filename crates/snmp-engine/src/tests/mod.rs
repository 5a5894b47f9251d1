mod generator;
mod notify;
mod responder;
mod util;
