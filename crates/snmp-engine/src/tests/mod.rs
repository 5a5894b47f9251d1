mod generator;
mod notify;
mod proxy;
mod responder;
mod util;
