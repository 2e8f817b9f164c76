package dev.eventflow.security;

import dev.eventflow.config.Secrets;
import dev.eventflow.security.AccessPlan.Role;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.admin.UserScramCredentialsDescription;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.ResourceNotFoundException;
import org.apache.kafka.common.resource.ResourcePatternFilter;

/**
 * Applies an {@link AccessPlan} to a cluster, idempotently, as a super user: every role's SCRAM-SHA-512 credential is
 * set (created, or set again to the configured password), every ACL of the plan is created unless it exists, and
 * every other ACL of the plan's principals is removed, so the cluster ends up with exactly the plan. Says what it
 * did, one line per user and ACL; no line holds a password.
 */
public final class AccessProvisioner {

    /** Iterations of the SCRAM credentials (Kafka's default and SCRAM-SHA-512's minimum). */
    public static final int SCRAM_ITERATIONS = 4096;
    private static final long TIMEOUT_MS = 60_000;

    private AccessProvisioner() {
    }

    /**
     * Sets the users and ACLs of {@code plan} on the cluster of {@code admin}, then waits until the broker applies them.
     *
     * @param dryRun report what would change without changing anything
     * @return one line per user and ACL: what was done (or would be)
     * @throws IllegalArgumentException when a role has no password, naming the variables to set
     */
    public static List<String> provision(Admin admin, AccessPlan plan, boolean dryRun) {
        Map<Role, String> passwords = passwords(plan);
        try {
            List<String> report = new ArrayList<>();
            report.addAll(users(admin, plan, passwords, dryRun));
            report.addAll(acls(admin, plan, dryRun));
            if (!dryRun) {
                awaitApplied(admin, plan, Duration.ofMillis(TIMEOUT_MS));
            }
            return report;
        } catch (ExecutionException e) {
            throw new IllegalStateException("Kafka refused the provisioning: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not answer within " + TIMEOUT_MS / 1000 + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while provisioning users and ACLs", e);
        }
    }

    /** One line for an ACL: {@code User:eventflow-ingest ALLOW WRITE TOPIC provider.events.raw (LITERAL)}. */
    public static String describe(AclBinding binding) {
        return binding.entry().principal() + " " + binding.entry().permissionType() + " " + binding.entry().operation() + " "
                + binding.pattern().resourceType() + " " + binding.pattern().name() + " ("
                + binding.pattern().patternType().name().toLowerCase(Locale.ROOT) + ")";
    }

    private static Map<Role, String> passwords(AccessPlan plan) {
        Map<Role, String> passwords = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (Role role : Role.values()) {
            plan.password(role).ifPresentOrElse(password -> passwords.put(role, password),
                    () -> missing.add(Secrets.envVariable(role.passwordKey()) + " (" + plan.user(role) + ")"));
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("no password for " + missing.size() + " user(s): set " + String.join(", ", missing)
                    + ", or the same keys with .file");
        }
        return passwords;
    }

    private static List<String> users(Admin admin, AccessPlan plan, Map<Role, String> passwords, boolean dryRun)
            throws ExecutionException, InterruptedException, TimeoutException {
        Set<String> existing = existingUsers(admin, plan);
        List<UserScramCredentialAlteration> upserts = new ArrayList<>();
        List<String> report = new ArrayList<>();
        for (Role role : Role.values()) {
            String user = plan.user(role);
            upserts.add(new UserScramCredentialUpsertion(user, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, SCRAM_ITERATIONS),
                    passwords.get(role)));
            report.add("user " + user + " (" + role.id() + "): " + (existing.contains(user) ? "SCRAM-SHA-512 password set again"
                    : "created with SCRAM-SHA-512") + (dryRun ? " [dry run]" : ""));
        }
        if (!dryRun) {
            admin.alterUserScramCredentials(upserts).all().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        }
        return report;
    }

    private static Set<String> existingUsers(Admin admin, AccessPlan plan)
            throws ExecutionException, InterruptedException, TimeoutException {
        Set<String> existing = new HashSet<>();
        for (Role role : Role.values()) {
            String user = plan.user(role);
            try {
                UserScramCredentialsDescription description = admin.describeUserScramCredentials(List.of(user)).description(user)
                        .get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
                if (description.credentialInfos().stream().anyMatch(info -> info.mechanism() == ScramMechanism.SCRAM_SHA_512)) {
                    existing.add(user);
                }
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof ResourceNotFoundException)) {
                    throw e;
                }
            }
        }
        return existing;
    }

    private static List<String> acls(Admin admin, AccessPlan plan, boolean dryRun)
            throws ExecutionException, InterruptedException, TimeoutException {
        List<String> report = new ArrayList<>();
        List<AclBinding> toCreate = new ArrayList<>();
        List<AclBindingFilter> toDelete = new ArrayList<>();
        String suffix = dryRun ? " [dry run]" : "";
        for (Role role : Role.values()) {
            List<AclBinding> wanted = plan.bindings(role);
            Set<AclBinding> present = new HashSet<>(admin.describeAcls(principalFilter(plan.principal(role))).values()
                    .get(TIMEOUT_MS, TimeUnit.MILLISECONDS));
            for (AclBinding binding : wanted) {
                if (present.contains(binding)) {
                    report.add("acl " + describe(binding) + ": exists");
                } else {
                    toCreate.add(binding);
                    report.add("acl " + describe(binding) + ": created" + suffix);
                }
            }
            for (AclBinding binding : present) {
                if (!wanted.contains(binding)) {
                    toDelete.add(binding.toFilter());
                    report.add("acl " + describe(binding) + ": removed, not in the plan" + suffix);
                }
            }
        }
        if (!dryRun) {
            if (!toCreate.isEmpty()) {
                admin.createAcls(toCreate).all().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            }
            if (!toDelete.isEmpty()) {
                admin.deleteAcls(toDelete).all().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            }
        }
        return report;
    }

    /** Waits until the broker's authorizer and credential cache hold the plan: a client started next finds both. */
    private static void awaitApplied(Admin admin, AccessPlan plan, Duration timeout)
            throws ExecutionException, InterruptedException, TimeoutException {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            boolean applied = existingUsers(admin, plan).size() == Role.values().length;
            for (Role role : Role.values()) {
                applied &= new HashSet<>(admin.describeAcls(principalFilter(plan.principal(role))).values()
                        .get(TIMEOUT_MS, TimeUnit.MILLISECONDS)).equals(new HashSet<>(plan.bindings(role)));
            }
            if (applied) {
                return;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("The broker did not show the provisioned users and ACLs within " + timeout);
            }
            Thread.sleep(50);
        }
    }

    private static AclBindingFilter principalFilter(String principal) {
        return new AclBindingFilter(ResourcePatternFilter.ANY,
                new AccessControlEntryFilter(principal, null, AclOperation.ANY, AclPermissionType.ANY));
    }
}
