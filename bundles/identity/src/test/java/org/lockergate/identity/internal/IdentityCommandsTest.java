package org.lockergate.identity.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import org.junit.jupiter.api.Test;

class IdentityCommandsTest {

    private final PasswordHasher hasher = Fakes.fastHasher();
    private final IdentityServiceImpl identity =
            new IdentityServiceImpl(Settings.defaults(), Clock.systemUTC(), hasher, new Fakes.RecordingLogger().logger);
    private final IdentityCommands commands = new IdentityCommands(identity, hasher);

    @Test
    void operators_lists_names_roles_and_company_but_never_hashes() throws Exception {
        String hash = hasher.hash("pw".toCharArray());
        identity.add(OperatorAccount.fromConfig("cfg.1", "ann", hash, new String[] {"technician", "admin"}, null));
        identity.add(OperatorAccount.fromConfig("cfg.2", "zto", hash, new String[] {"courier-company"}, "ZTO"));

        String listing = commands.operators();

        assertThat(listing.lines()).hasSize(3);
        assertThat(listing.lines().skip(1)).satisfiesExactly(
                ann -> assertThat(ann).startsWith("ann").contains("admin,technician"),
                zto -> assertThat(zto).startsWith("zto").contains("courier-company").endsWith("ZTO"));
        assertThat(listing).doesNotContain("argon2").doesNotContain(hash.substring(hash.lastIndexOf('$') + 1));
    }

    @Test
    void operators_says_so_when_there_are_none() {
        assertThat(commands.operators()).contains("No operators configured");
    }

    @Test
    void hash_prints_a_hash_that_verifies() {
        String phc = commands.hash("correct horse");

        assertThat(hasher.verify("correct horse".toCharArray(), PhcHash.parse(phc))).isTrue();
    }
}
