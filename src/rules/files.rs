//! The files of a rules set, declared once: their paths ([`FILES`]), one field per file in
//! [`Files`] (the texts, their paths, their errors), and the texts compiled into the binary.

/// Declares every rules file as `field: "path"`, in the order they are read and reported.
macro_rules! rules_files {
    ($($field:ident: $path:literal,)*) => {
        /// How many files a set has.
        const COUNT: usize = [$($path),*].len();

        /// The files of a rules set, by their path inside the rules directory.
        pub const FILES: [&str; COUNT] = [$($path),*];

        /// One value per rules file: its text, its path or its errors.
        #[derive(Debug, Clone, Copy, Default)]
        pub(crate) struct Files<T> {
            $(
                #[doc = concat!("`", $path, "`.")]
                pub(crate) $field: T,
            )*
        }

        /// The path of every file, for messages.
        pub(super) const PATHS: Files<&str> = Files { $($field: $path,)* };

        /// The rules set compiled into the binary.
        pub(crate) const EMBEDDED: Texts<'static> = Texts {
            $($field: include_str!(concat!("../../rules/", $path)),)*
        };

        impl<T> Files<T> {
            /// The values in the order of [`FILES`].
            pub(super) fn into_list(self) -> [T; COUNT] {
                [$(self.$field),*]
            }
        }

        impl<'a> Texts<'a> {
            /// The texts of `list`, given in the order of [`FILES`].
            pub(super) fn from_list(list: &'a [String]) -> Texts<'a> {
                let mut list = list.iter().map(String::as_str);
                Texts { $($field: list.next().unwrap_or_default(),)* }
            }

            /// The text of the file at `path`, to replace it.
            #[cfg(test)]
            pub(super) fn get_mut(&mut self, path: &str) -> Option<&mut &'a str> {
                match path {
                    $($path => Some(&mut self.$field),)*
                    _ => None,
                }
            }
        }
    };
}

/// The texts of a rules set, one per file.
pub(crate) type Texts<'a> = Files<&'a str>;

rules_files! {
    version: "VERSION",
    mobile_blocks: "cn/mobile-blocks.csv",
    area_codes: "cn/area-codes.csv",
    retired_area_codes: "cn/retired-area-codes.csv",
    service_numbers: "cn/service-numbers.csv",
    dial_prefixes: "cn/dial-prefixes.csv",
    cities: "cn/cities.csv",
    mobile_regions: "cn/mobile-regions.csv",
    placeholders: "placeholders.txt",
    placeholder_numbers: "placeholder-numbers.txt",
    outcomes: "outcomes.toml",
    policy: "policy.toml",
    holidays: "cn/holidays.csv",
    upgrades: "cn/upgrades.csv",
}
