package io.snapci.packaging;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Whether an app definition is one Marathon accepts and DC/OS shows as a service: the field rules of
 * {@link Rules#MARATHON_APP}, plus the rules that span fields, each from the source named next to it.
 */
final class MarathonAppRules {

    /** A named VIP "/name:port" (a folder's slashes allowed) or an IP VIP "a.b.c.d:port". */
    private static final Pattern VIP = Pattern.compile(
            "^(/[a-z0-9]([a-z0-9.-]*[a-z0-9])?(/[a-z0-9]([a-z0-9.-]*[a-z0-9])?)*|[0-9]{1,3}(\\.[0-9]{1,3}){3}):([0-9]{1,5})$");

    private static final Set<String> HTTP_PROTOCOLS = Set.of("HTTP", "HTTPS", "MESOS_HTTP", "MESOS_HTTPS");

    private MarathonAppRules() {
    }

    static List<String> violations(JsonNode app) {
        List<String> problems = new ArrayList<>(Rules.MARATHON_APP.violations(app));
        if (!app.isObject()) {
            return problems;
        }
        command(app, problems);
        secretReferences(app, problems);
        healthChecks(app, problems);
        singleInstance(app, problems);
        dcosServiceLabels(app, problems);
        vipLabels(app, problems);
        return problems;
    }

    /** app.raml, cmd and args: "Either cmd or args must be supplied. It is invalid to supply both". */
    private static void command(JsonNode app, List<String> problems) {
        boolean cmd = app.has("cmd");
        boolean args = app.has("args");
        if (cmd && args) {
            problems.add("cmd and args are both given");
        }
        if (!cmd && !args && !app.path("container").isObject()) {
            problems.add("neither cmd nor args is given, and there is no container image to run");
        }
    }

    /** environmentVariable.raml + secrets.raml: an env value {"secret": name} names a declared secret. */
    private static void secretReferences(JsonNode app, List<String> problems) {
        app.path("env").fields().forEachRemaining(e -> {
            JsonNode ref = e.getValue().path("secret");
            if (ref.isTextual() && !app.path("secrets").has(ref.textValue())) {
                problems.add("env " + e.getKey() + " references the undeclared secret " + ref.textValue());
            }
        });
        // volumes.raml AppSecretVolume: a file-based secret names a declared secret too; DC/OS mounts one only with
        // the Mesos containerizer (Universal Container Runtime), not the Docker one.
        app.path("container").path("volumes").forEach(volume -> {
            JsonNode ref = volume.path("secret");
            if (ref.isTextual() && !app.path("secrets").has(ref.textValue())) {
                problems.add("volume " + volume.path("containerPath").asText() + " references the undeclared secret "
                        + ref.textValue());
            }
            if (ref.isTextual() && !"MESOS".equals(app.path("container").path("type").asText())) {
                problems.add("the file-based secret " + ref.textValue() + " needs container type MESOS");
            }
        });
    }

    /**
     * healthCheck.raml AppHealthCheck: portIndex is an "index in this app's ports array"; port and portIndex are
     * alternatives; a path is "only used if protocol == HTTP[S]" and a COMMAND check needs its command.
     */
    private static void healthChecks(JsonNode app, List<String> problems) {
        int ports = app.path("portDefinitions").size();
        for (JsonNode check : app.path("healthChecks")) {
            String protocol = check.path("protocol").asText("HTTP");
            if (check.has("port") && check.has("portIndex")) {
                problems.add("health check gives both port and portIndex");
            }
            if (!protocol.equals("COMMAND") && !check.has("port") && check.path("portIndex").asInt(0) >= ports) {
                problems.add("health check portIndex " + check.path("portIndex").asInt(0) + " is not one of the "
                        + ports + " port definitions");
            }
            if (check.has("path") && !HTTP_PROTOCOLS.contains(protocol)) {
                problems.add("health check has a path but protocol " + protocol);
            }
            if (protocol.equals("COMMAND") && !check.has("command")) {
                problems.add("COMMAND health check without a command");
            }
        }
    }

    /**
     * MARATHON_SINGLE_INSTANCE_APP (set by the DC/OS SDK frameworks, honoured by Marathon and the DC/OS UI): at most
     * one instance, and an upgrade that stops the old one before it starts the new one.
     */
    private static void singleInstance(JsonNode app, List<String> problems) {
        if (!"true".equals(app.path("labels").path("MARATHON_SINGLE_INSTANCE_APP").asText())) {
            return;
        }
        if (app.path("instances").asInt(1) > 1) {
            problems.add("a single-instance app has more than one instance");
        }
        JsonNode upgrade = app.path("upgradeStrategy");
        if (upgrade.path("minimumHealthCapacity").asDouble(1) != 0 || upgrade.path("maximumOverCapacity").asDouble(1) != 0) {
            problems.add("a single-instance app needs upgradeStrategy minimumHealthCapacity 0 and maximumOverCapacity 0");
        }
    }

    /**
     * The labels DC/OS reads (DC/OS service docs, Admin Router's /service/ routing): DCOS_SERVICE_NAME names the
     * service, DCOS_SERVICE_PORT_INDEX is an index into the app's ports, DCOS_SERVICE_SCHEME is http or https;
     * DCOS_PACKAGE_FRAMEWORK_NAME is the Mesos framework name of a package that installs one.
     */
    private static void dcosServiceLabels(JsonNode app, List<String> problems) {
        JsonNode labels = app.path("labels");
        if (labels.has("DCOS_SERVICE_PORT_INDEX")) {
            String index = labels.get("DCOS_SERVICE_PORT_INDEX").asText();
            if (!index.matches("[0-9]{1,5}") || Integer.parseInt(index) >= app.path("portDefinitions").size()) {
                problems.add("DCOS_SERVICE_PORT_INDEX " + index + " is not an index into the app's port definitions");
            }
            if (!labels.has("DCOS_SERVICE_NAME")) {
                problems.add("DCOS_SERVICE_PORT_INDEX without DCOS_SERVICE_NAME");
            }
        }
        if (labels.has("DCOS_SERVICE_SCHEME") && !Set.of("http", "https").contains(labels.get("DCOS_SERVICE_SCHEME").asText())) {
            problems.add("DCOS_SERVICE_SCHEME must be http or https");
        }
        if (labels.has("DCOS_SERVICE_NAME") && labels.get("DCOS_SERVICE_NAME").asText().isEmpty()) {
            problems.add("DCOS_SERVICE_NAME is empty");
        }
        if (labels.has("DCOS_PACKAGE_FRAMEWORK_NAME") && labels.get("DCOS_PACKAGE_FRAMEWORK_NAME").asText().isEmpty()) {
            problems.add("DCOS_PACKAGE_FRAMEWORK_NAME is empty");
        }
    }

    /**
     * DC/OS load balancing (dcos-l4lb, "Load balancing and virtual IPs"): a port definition's label VIP_&lt;n&gt; is
     * "/&lt;name&gt;:&lt;port&gt;" (reached at &lt;name&gt;.marathon.l4lb.thisdcos.directory:&lt;port&gt;) or "&lt;ip&gt;:&lt;port&gt;",
     * the port 1 to 65535.
     */
    private static void vipLabels(JsonNode app, List<String> problems) {
        for (JsonNode port : app.path("portDefinitions")) {
            port.path("labels").fields().forEachRemaining(label -> {
                if (!label.getKey().matches("VIP_[0-9]+")) {
                    return;
                }
                var vip = VIP.matcher(label.getValue().asText());
                int number = vip.matches() && vip.group(6).length() <= 5 ? Integer.parseInt(vip.group(6)) : 0;
                if (number < 1 || number > 65535) {
                    problems.add(label.getKey() + " " + label.getValue().asText()
                            + " is neither /<name>:<port> nor <ip>:<port>");
                }
            });
        }
    }
}
