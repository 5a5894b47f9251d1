//! net-snmp 5.9.3's usage texts of the tools (`snmpget 2>&1`...), printed on a usage error
//! and for `-h`: the options common to the manager tools, then each tool's `-C` options.

/// The `-O`, `-I` and `-L` options, the same in every tool's usage text.
macro_rules! display_options {
    () => {
        r#"  -O OUTOPTS		Toggle various defaults controlling output display:
			  0:  print leading 0 for single-digit hex characters
			  a:  print all strings in ascii format
			  b:  do not break OID indexes down
			  e:  print enums numerically
			  E:  escape quotes in string indices
			  f:  print full OIDs on output
			  n:  print OIDs numerically
			  p PRECISION:  display floating point values with specified PRECISION (printf format string)
			  q:  quick print for easier parsing
			  Q:  quick print with equal-signs
			  s:  print only last symbolic element of OID
			  S:  print MIB module-id plus last element
			  t:  print timeticks unparsed as numeric integers
			  T:  print human-readable text along with hex strings
			  u:  print OIDs using UCD-style prefix suppression
			  U:  don't print units
			  v:  print values only (not OID = value)
			  x:  print all strings in hex format
			  X:  extended index format
  -I INOPTS		Toggle various defaults controlling input parsing:
			  b:  do best/regex matching to find a MIB node
			  h:  don't apply DISPLAY-HINTs
			  r:  do not check values for range/type legality
			  R:  do random access to OID labels
			  u:  top-level OIDs must have '.' prefix (UCD-style)
			  s SUFFIX:  Append all textual OIDs with SUFFIX before parsing
			  S PREFIX:  Prepend all textual OIDs with PREFIX before parsing
  -L LOGOPTS		Toggle various defaults controlling logging:
			  e:           log to standard error
			  o:           log to standard output
			  n:           don't log at all
			  f file:      log to the specified file
			  s facility:  log to syslog (via the specified facility)

			  (variants)
			  [EON] pri:   log to standard error, output or /dev/null for level 'pri' and above
			  [EON] p1-p2: log to standard error, output or /dev/null for levels 'p1' to 'p2'
			  [FS] pri token:    log to file/syslog for level 'pri' and above
			  [FS] p1-p2 token:  log to file/syslog for levels 'p1' to 'p2'
"#
    };
}

/// The options of `snmp_parse_args_descriptions`; `{MIBDIRS}` stands for the MIB search path.
pub(crate) const COMMON: &str = concat!(
    r#"OPTIONS:
  -h, --help		display this help message
  -H			display configuration file directives understood
  -v 1|2c|3		specifies SNMP version to use
  -V, --version		display package version number
SNMP Version 1 or 2c specific
  -c COMMUNITY		set the community string
SNMP Version 3 specific
  -a PROTOCOL		set authentication protocol (MD5|SHA|SHA-224|SHA-256|SHA-384|SHA-512)
  -A PASSPHRASE		set authentication protocol pass phrase
  -e ENGINE-ID		set security engine ID (e.g. 800000020109840301)
  -E ENGINE-ID		set context engine ID (e.g. 800000020109840301)
  -l LEVEL		set security level (noAuthNoPriv|authNoPriv|authPriv)
  -n CONTEXT		set context name (e.g. bridge1)
  -u USER-NAME		set security name (e.g. bert)
  -x PROTOCOL		set privacy protocol (DES|AES|AES-192|AES-256)
  -X PASSPHRASE		set privacy protocol pass phrase
  -Z BOOTS,TIME		set destination engine boots/time
General communication options
  -r RETRIES		set the number of retries
  -t TIMEOUT		set the request timeout (in seconds)
Debugging
  -d			dump input/output packets in hexadecimal
  -D[TOKEN[,...]]	turn on debugging output for the specified TOKENs
			   (ALL gives extremely verbose debugging output)
General options
  -m MIB[:...]		load given list of MIBs (ALL loads everything)
  -M DIR[:...]		look in given list of directories for MIBs
    (default: {MIBDIRS})
  -P MIBOPTS		Toggle various defaults controlling MIB parsing:
			  u:  allow the use of underlines in MIB symbols
			  c:  disallow the use of "--" to terminate comments
			  d:  save the DESCRIPTIONs of the MIB objects
			  e:  disable errors when MIB symbols conflict
			  w:  enable warnings when MIB symbols conflict
			  W:  enable detailed warnings when MIB symbols conflict
			  R:  replace MIB symbols from latest module
"#,
    display_options!()
);

/// snmpget's `-C` options (and what follows them).
pub(crate) const GET: &str = r#"  -C APPOPTS		Set various application specific behaviours:
			  f:  do not fix errors and retry the request
"#;

/// snmpbulkget's `-C` options (and what follows them).
pub(crate) const BULKGET: &str = r#"  -C APPOPTS		Set various application specific behaviours:
			  n<NUM>:  set non-repeaters to <NUM>
			  r<NUM>:  set max-repeaters to <NUM>
"#;

/// snmpset's `-C` options (and what follows them).
pub(crate) const SET: &str = r#"  -C APPOPTS		Set various application specific behaviours:
			  q:  don't print results on success

  TYPE: one of i, u, t, a, o, s, x, d, b
	i: INTEGER, u: unsigned INTEGER, t: TIMETICKS, a: IPADDRESS
	o: OBJID, s: STRING, x: HEX STRING, d: DECIMAL STRING, b: BITS
	U: unsigned int64, I: signed int64, F: float, D: double
"#;

/// snmpwalk's `-C` options (and what follows them).
pub(crate) const WALK: &str = r#"  -C APPOPTS		Set various application specific behaviours:
			  p:  print the number of variables found
			  i:  include given OID in the search range
			  I:  don't include the given OID, even if no results are returned
			  c:  do not check returned OIDs are increasing
			  t:  Display wall-clock time to complete the walk
			  T:  Display wall-clock time to complete each request
			  E {OID}:  End the walk at the specified OID
"#;

/// snmpbulkwalk's `-C` options (and what follows them).
pub(crate) const BULKWALK: &str = r#"  -C APPOPTS		Set various application specific behaviours:
			  c:       do not check returned OIDs are increasing
			  i:       include given OIDs in the search range
			  n<NUM>:  set non-repeaters to <NUM>
			  p:       print the number of variables found
			  r<NUM>:  set max-repeaters to <NUM>
"#;

/// snmptable's `-C` options (and what follows them).
pub(crate) const TABLE: &str = r#"  -C APPOPTS		Set various application specific behaviours:
			  b:       brief field names
			  B:       do not use GETBULK requests
			  c<NUM>:  print table in columns of <NUM> chars width
			  f<STR>:  print table delimitied with <STR>
			  h:       print only the column headers
			  H:       print no column headers
			  i:       print index values
			  l:       left justify output
			  r<NUM>:  for GETBULK: set max-repeaters to <NUM>
			           for GETNEXT: retrieve <NUM> entries at a time
			  w<NUM>:  print table in parts of <NUM> chars width
"#;

/// snmptrap's `-C` options (and what follows them).
pub(crate) const TRAP: &str = r#"  -C APPOPTS		Set various application specific behaviour:
			  i:  send an INFORM instead of a TRAP

  -v 1 TRAP-PARAMETERS:
	 enterprise-oid agent trap-type specific-type uptime [OID TYPE VALUE]...
  or
  -v 2 TRAP-PARAMETERS:
	 uptime trapoid [OID TYPE VALUE] ...
"#;

/// snmptranslate's options.
pub(crate) const TRANSLATE: &str = concat!(
    r#"OPTIONS:
  -h			display this help message
  -V			display package version number
  -m MIB[:...]		load given list of MIBs (ALL loads everything)
  -M DIR[:...]		look in given list of directories for MIBs
  -D[TOKEN[,...]]	turn on debugging output for the specified TOKENs
			   (ALL gives extremely verbose debugging output)
  -w WIDTH		set width of tree and detail output
  -T TRANSOPTS		Set various options controlling report produced:
			  B:  print all matching objects for a regex search
			  d:  print full details of the given OID
			  p:  print tree format symbol table
			  a:  print ASCII format symbol table
			  l:  enable labeled OID report
			  o:  enable OID report
			  s:  enable dotted symbolic report
			  z:  enable MIB child OID report
			  t:  enable alternate format symbolic suffix report
  -P MIBOPTS		Toggle various defaults controlling mib parsing:
			  u:  allow the use of underlines in MIB symbols
			  c:  disallow the use of "--" to terminate comments
			  d:  save the DESCRIPTIONs of the MIB objects
			  e:  disable errors when MIB symbols conflict
			  w:  enable warnings when MIB symbols conflict
			  W:  enable detailed warnings when MIB symbols conflict
			  R:  replace MIB symbols from latest module
"#,
    display_options!()
);
