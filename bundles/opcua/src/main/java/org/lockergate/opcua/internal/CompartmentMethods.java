package org.lockergate.opcua.internal;

import org.eclipse.milo.opcua.sdk.server.methods.AbstractMethodInvocationHandler;
import org.eclipse.milo.opcua.sdk.server.nodes.UaMethodNode;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.structured.Argument;
import org.lockergate.api.locker.LockerException;
import org.lockergate.api.locker.MaintenanceService;
import org.lockergate.identity.Operator;
import org.lockergate.identity.Role;
import org.lockergate.opcua.internal.LockerTree.CompartmentRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Disable / Enable on every compartment object: one shared method node each, acting on the object the client calls it
 * on. Only a signed-in operator with the technician (or admin) role may call them; anonymous and other sessions get
 * {@code Bad_UserAccessDenied}. {@link MaintenanceService} audits the change with the actor {@code operator:NAME}.
 */
final class CompartmentMethods {

    private static final Logger LOG = LoggerFactory.getLogger(CompartmentMethods.class);

    static final String DISABLE = "Disable";
    static final String ENABLE = "Enable";

    private static final Argument REASON = new Argument("Reason", NodeIds.String, -1, null,
            LocalizedText.english("Why (audited); may be empty."));

    private CompartmentMethods() {
    }

    static void install(LockerNamespace ns, LockerTree tree, MaintenanceService maintenance) {
        UaMethodNode disable = ns.method(LockerNamespace.ROOT + "/Methods/" + DISABLE, DISABLE,
                "Takes the compartment out of service (state DISABLED); a parcel inside stays and can be picked up."
                        + " Technician role required; audited.", REASON);
        disable.setInvocationHandler(new Handler(disable, tree, maintenance, false));
        UaMethodNode enable = ns.method(LockerNamespace.ROOT + "/Methods/" + ENABLE, ENABLE,
                "Puts a DISABLED or FAULT compartment back into service. Technician role required; audited.", REASON);
        enable.setInvocationHandler(new Handler(enable, tree, maintenance, true));
        tree.addCompartmentMethod(disable);
        tree.addCompartmentMethod(enable);
    }

    private static final class Handler extends AbstractMethodInvocationHandler {

        private final LockerTree tree;
        private final MaintenanceService maintenance;
        private final boolean enable;

        Handler(UaMethodNode node, LockerTree tree, MaintenanceService maintenance, boolean enable) {
            super(node);
            this.tree = tree;
            this.maintenance = maintenance;
            this.enable = enable;
        }

        @Override
        public Argument[] getInputArguments() {
            return new Argument[] {REASON};
        }

        @Override
        public Argument[] getOutputArguments() {
            return new Argument[0];
        }

        @Override
        protected Variant[] invoke(InvocationContext context, Variant[] inputValues) throws UaException {
            Operator operator = context.getSession().flatMap(OperatorIdentityValidator::operator)
                    .orElseThrow(() -> new UaException(StatusCodes.Bad_UserAccessDenied,
                            "sign in with a technician account / 需要技术员账号登录"));
            if (!operator.hasAnyRole(Role.TECHNICIAN)) {
                LOG.warn("OPC UA {} 被拒：无技术员角色 / OPC UA {} refused: {} lacks the technician role",
                        name(), name(), operator.username());
                throw new UaException(StatusCodes.Bad_UserAccessDenied, "technician role required / 需要技术员角色");
            }
            CompartmentRef compartment = tree.compartment(context.getObjectId())
                    .orElseThrow(() -> new UaException(StatusCodes.Bad_NodeIdUnknown, "not a compartment"));
            Object given = inputValues.length == 0 ? null : inputValues[0].value();
            String reason = given == null || given.toString().isBlank() ? "OPC UA " + name()
                    : given.toString().strip();
            String actor = "operator:" + operator.username();
            try {
                if (enable) {
                    maintenance.enable(compartment.groupId(), compartment.label(), actor, reason);
                } else {
                    maintenance.disable(compartment.groupId(), compartment.label(), actor, reason);
                }
            } catch (LockerException e) {
                throw new UaException(status(e), e.getMessage());
            }
            LOG.info("OPC UA {}：{}/{} 由 {} / OPC UA {}: {}/{} by {}", name(), compartment.groupId(),
                    compartment.label(), actor, name(), compartment.groupId(), compartment.label(), actor);
            return new Variant[0];
        }

        private String name() {
            return enable ? ENABLE : DISABLE;
        }

        private static long status(LockerException e) {
            return switch (e.kind()) {
                case NOT_FOUND -> StatusCodes.Bad_NodeIdUnknown;
                case CONFLICT -> StatusCodes.Bad_InvalidState;
                case BAD_REQUEST -> StatusCodes.Bad_InvalidArgument;
                case FORBIDDEN, UNAUTHORIZED -> StatusCodes.Bad_UserAccessDenied;
                case TOO_MANY -> StatusCodes.Bad_TooManyOperations;
                case UNAVAILABLE -> StatusCodes.Bad_ResourceUnavailable;
            };
        }
    }
}
