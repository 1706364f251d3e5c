package ai.moolai.agent;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The certificate authorities an agent trusts to vouch for the edge, when it is given them
 * ({@code AGENT_TLS_CA_FILE}): those alone, not the JDK's, so an edge with a private CA is reached
 * without touching the JDK's trust store, and nothing else is believed in its place.
 */
final class ControllerTrust {

    private ControllerTrust() {
    }

    /** TLS that trusts the certificates in this file (PEM, one or more; DER works too). */
    static SSLContext of(Path caFile) throws IOException {
        try (InputStream in = Files.newInputStream(caFile)) {
            Collection<? extends Certificate> authorities = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (authorities.isEmpty()) {
                throw new IOException(caFile + " (AGENT_TLS_CA_FILE) holds no certificate");
            }
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            int n = 0;
            for (Certificate authority : authorities) {
                trusted.setCertificateEntry("ca-" + n++, authority);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, trust.getTrustManagers(), null);
            return tls;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read the certificates in " + caFile + " (AGENT_TLS_CA_FILE): " + e.getMessage(), e);
        }
    }
}
