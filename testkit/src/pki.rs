//! Certificates for test servers, made with the `openssl` command
//! (`scripts/test.sh` installs it): EC P-256 keys, valid for two days.

use std::path::{Path, PathBuf};
use std::process::Command;

/// A folder of keys and certificates.
pub(crate) struct Pki {
    dir: PathBuf,
}

const EC_KEY: [&str; 5] = [
    "-newkey",
    "ec",
    "-pkeyopt",
    "ec_paramgen_curve:prime256v1",
    "-nodes",
];

impl Pki {
    pub(crate) fn new(dir: &Path) -> Pki {
        std::fs::create_dir_all(dir).expect("a directory for certificates");
        Pki {
            dir: dir.to_path_buf(),
        }
    }

    fn openssl(&self, args: &[&str]) {
        let out = Command::new("openssl")
            .current_dir(&self.dir)
            .args(args)
            .output()
            .expect("openssl runs (scripts/test.sh installs it)");
        assert!(
            out.status.success(),
            "openssl {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// A self-signed CA: `<name>.pem`, its key `<name>.key`.
    pub(crate) fn ca(&self, name: &str, subject: &str) -> PathBuf {
        let (key, pem) = (format!("{name}.key"), format!("{name}.pem"));
        let mut args = vec!["req", "-x509", "-days", "2", "-subj", subject];
        args.extend(EC_KEY);
        args.extend(["-keyout", &key, "-out", &pem]);
        self.openssl(&args);
        self.dir.join(pem)
    }

    /// A certificate `<name>.pem` with key `<name>.key`, signed by the CA
    /// `ca` made here, with the given X.509 v3 extensions (one per line).
    pub(crate) fn sign(
        &self,
        name: &str,
        subject: &str,
        ca: &str,
        extensions: &str,
    ) -> (PathBuf, PathBuf) {
        let (key, csr, pem, ext) = (
            format!("{name}.key"),
            format!("{name}.csr"),
            format!("{name}.pem"),
            format!("{name}.ext"),
        );
        let mut args = vec!["req", "-subj", subject];
        args.extend(EC_KEY);
        args.extend(["-keyout", &key, "-out", &csr]);
        self.openssl(&args);
        std::fs::write(self.dir.join(&ext), format!("{extensions}\n"))
            .expect("the certificate's extensions");
        let (ca_pem, ca_key) = (format!("{ca}.pem"), format!("{ca}.key"));
        self.openssl(&[
            "x509",
            "-req",
            "-days",
            "2",
            "-in",
            &csr,
            "-CA",
            &ca_pem,
            "-CAkey",
            &ca_key,
            "-CAcreateserial",
            "-extfile",
            &ext,
            "-out",
            &pem,
        ]);
        (self.dir.join(pem), self.dir.join(key))
    }

    /// A bare key pair: `<name>.key` and its public half `<name>.pub`.
    pub(crate) fn key_pair(&self, name: &str) -> (PathBuf, PathBuf) {
        let (key, public) = (format!("{name}.key"), format!("{name}.pub"));
        self.openssl(&[
            "genpkey",
            "-algorithm",
            "EC",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-out",
            &key,
        ]);
        self.openssl(&["pkey", "-in", &key, "-pubout", "-out", &public]);
        (self.dir.join(key), self.dir.join(public))
    }
}
