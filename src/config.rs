//! Settings that rules read: the versions of the programs the configuration is for.

use std::fmt;
use std::str::FromStr;

/// A `major.minor` version of a program.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Version {
    pub major: u32,
    pub minor: u32,
}

impl Version {
    pub const fn new(major: u32, minor: u32) -> Self {
        Self { major, minor }
    }
}

impl FromStr for Version {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || format!("`{s}` is not a version like `8.2`");
        let (major, minor) = s.split_once('.').unwrap_or((s, "0"));
        Ok(Self {
            major: major.parse().map_err(|_| bad())?,
            minor: minor.parse().map_err(|_| bad())?,
        })
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

/// What the rules need to know about the target system.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// The PHP version the sources run on.
    pub php: Version,
}

impl Settings {
    pub const DEFAULT_PHP: Version = Version::new(8, 2);
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            php: Self::DEFAULT_PHP,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_parse_and_order() {
        assert_eq!("5.4".parse::<Version>(), Ok(Version::new(5, 4)));
        assert_eq!("8".parse::<Version>(), Ok(Version::new(8, 0)));
        assert!("8.x".parse::<Version>().is_err());
        assert!(Version::new(5, 3) < Version::new(5, 4));
    }
}
