package org.lockergate.transport.coap.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.lockergate.transport.coap.CoapHandler;

/** Templates, the route table and the whiteboard registry, without sockets. */
class RoutingTest {

    private static final CoapHandler NOOP = call -> {};

    @Test
    void a_template_reads_literals_and_variables() {
        PathTemplate template = PathTemplate.parse("/groups/{groupId}/state");

        assertThat(template.shape()).isEqualTo("/groups/{}/state");
        assertThat(template.variableNames()).containsExactly("groupId");
        assertThat(template.variables(List.of("groups", "g1", "state"))).containsExactly(Map.entry("groupId", "g1"));
        assertThat(PathTemplate.parse("/").shape()).isEqualTo("/");
    }

    @Test
    void bad_templates_are_refused_with_a_reason() {
        assertThatThrownBy(() -> PathTemplate.parse("rd")).hasMessageContaining("must start with /");
        assertThatThrownBy(() -> PathTemplate.parse("/rd//x")).hasMessageContaining("empty segment");
        assertThatThrownBy(() -> PathTemplate.parse("/a/{x}/{x}")).hasMessageContaining("{x} twice");
        assertThatThrownBy(() -> PathTemplate.parse("/a/{1x}")).hasMessageContaining("bad segment");
        assertThatThrownBy(() -> PathTemplate.parse("/a?b=c")).hasMessageContaining("bad segment");
    }

    @Test
    void a_literal_beats_a_variable_and_matching_backtracks() {
        RouteTable table = RouteTable.of(List.of(
                route("/rd/{regId}", 1), route("/rd/lookup", 2), route("/a/b/c", 3), route("/a/{x}/d", 4),
                route("/rd", 5)));

        assertThat(table.match(List.of("rd", "lookup")).orElseThrow().serviceId()).isEqualTo(2);
        assertThat(table.match(List.of("rd", "4521")).orElseThrow().serviceId()).isEqualTo(1);
        assertThat(table.match(List.of("rd")).orElseThrow().serviceId()).isEqualTo(5);
        assertThat(table.match(List.of("a", "b", "c")).orElseThrow().serviceId()).isEqualTo(3);
        assertThat(table.match(List.of("a", "b", "d")).orElseThrow().serviceId()).isEqualTo(4);
        assertThat(table.match(List.of("a", "b"))).isEmpty();
        assertThat(table.match(List.of("rd", ""))).isEmpty();
        assertThat(table.match(List.of())).isEmpty();
    }

    @Test
    void the_later_of_two_handlers_for_the_same_template_is_refused_and_takes_over_later() {
        HandlerRegistry registry = new HandlerRegistry();
        try (LogCapture log = new LogCapture()) {
            assertThat(registry.add(NOOP, properties("/rd/{regId}", "POST"), 10, "first")).hasSize(1);
            assertThat(registry.add(NOOP, properties("/rd/{id}", "DELETE"), 11, "second")).isEmpty();

            assertThat(log.lines("ERROR")).singleElement().asString()
                    .contains("/rd/{id}", "already served by first", "refused second");
        }
        assertThat(registry.match(List.of("rd", "r1")).orElseThrow().owner()).isEqualTo("first");

        registry.remove(10);

        assertThat(registry.match(List.of("rd", "r1")).orElseThrow().owner()).isEqualTo("second");
        registry.remove(11);
        assertThat(registry.match(List.of("rd", "r1"))).isEmpty();
    }

    @Test
    void unusable_registrations_are_refused_with_one_error_line() {
        HandlerRegistry registry = new HandlerRegistry();
        try (LogCapture log = new LogCapture()) {
            assertThat(registry.add(NOOP, Map.of(CoapHandler.METHODS, "GET"), 1, "no-path")).isEmpty();
            assertThat(registry.add(NOOP, Map.of(CoapHandler.PATH, "/x"), 2, "no-methods")).isEmpty();
            assertThat(registry.add(NOOP, properties("/x", "FETCH"), 3, "bad-method")).isEmpty();
            assertThat(registry.add(NOOP, Map.of(CoapHandler.PATH, "/x", CoapHandler.METHODS, "POST",
                    CoapHandler.OBSERVABLE, "true"), 4, "observable-without-get")).isEmpty();

            assertThat(log.lines("ERROR")).hasSize(4);
            assertThat(log.text()).contains("lockergate.coap.path is missing", "lockergate.coap.methods is missing",
                    "'FETCH', not one of GET, POST, PUT, DELETE", "observable=true needs GET");
        }
        assertThat(registry.routes()).isEmpty();
    }

    @Test
    void one_handler_may_serve_several_templates_and_methods_in_any_case() {
        HandlerRegistry registry = new HandlerRegistry();
        registry.add(NOOP, Map.of(CoapHandler.PATH, new String[] {"/rd", "/rd/{regId}"},
                CoapHandler.METHODS, List.of("post", "Delete")), 7, "rd");

        assertThat(registry.routes()).hasSize(2);
        assertThat(registry.match(List.of("rd", "x")).orElseThrow().methods()).hasSize(2);
    }

    private static Map<String, Object> properties(String path, String methods) {
        return Map.of(CoapHandler.PATH, path, CoapHandler.METHODS, methods);
    }

    private static Route route(String template, long id) {
        return new Route(PathTemplate.parse(template), NOOP, Set.of(), false, id, "r" + id);
    }
}
