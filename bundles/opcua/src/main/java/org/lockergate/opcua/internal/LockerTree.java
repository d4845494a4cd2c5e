package org.lockergate.opcua.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.milo.opcua.sdk.core.Reference;
import org.eclipse.milo.opcua.sdk.server.nodes.UaFolderNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaMethodNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaObjectNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaVariableNode;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.lockergate.api.model.Cabinet;
import org.lockergate.api.model.CabinetGroup;
import org.lockergate.api.model.Compartment;
import org.lockergate.api.model.CompartmentState;

/**
 * {@code LockerGate/Groups/{groupId}/Cabinets/{cabinetId}/Compartments/{label}}: creates, updates and removes the
 * nodes from snapshots of the core's registry. Only the sync thread calls the {@code apply*} methods; the method
 * handlers look compartments up through {@link #compartment(NodeId)} from any thread. Nothing personal is shown:
 * no parcel ids, codes, names or phones.
 */
final class LockerTree {

    /** A compartment object's identity, for the Disable/Enable handlers. */
    record CompartmentRef(String groupId, String cabinetId, String label) {
    }

    private final LockerNamespace ns;
    private final LockerDataTypes types;
    private final UaFolderNode groupsFolder;
    private final List<UaMethodNode> compartmentMethods = new ArrayList<>();
    private final Map<String, GroupNodes> groups = new LinkedHashMap<>();
    private final Map<NodeId, CompartmentRef> compartmentsByNode = new ConcurrentHashMap<>();

    LockerTree(LockerNamespace ns, LockerDataTypes types, UaFolderNode root) {
        this.ns = ns;
        this.types = types;
        this.groupsFolder = ns.folder(root.getNodeId(), LockerNamespace.ROOT + "/Groups", "Groups",
                "The cabinet groups (柜组) of this gateway: one master cabinet and its slaves each.");
    }

    /** Methods every compartment object references (HasComponent); their handlers act on the calling object. */
    void addCompartmentMethod(UaMethodNode method) {
        compartmentMethods.add(method);
    }

    Optional<CompartmentRef> compartment(NodeId objectId) {
        return Optional.ofNullable(compartmentsByNode.get(objectId));
    }

    /**
     * The node an alarm is about: the compartment (by label, within the cabinet when one is named), else the cabinet,
     * else the group; empty when the group is not (or no longer) in the tree. Sync thread only.
     */
    Optional<UaObjectNode> alarmSource(String groupId, String cabinetId, String label) {
        GroupNodes group = groupId == null ? null : groups.get(groupId);
        if (group == null) {
            return Optional.empty();
        }
        if (label != null) {
            for (GroupNodes.CabinetNodes cabinet : group.cabinets.values()) {
                if (cabinetId == null || cabinet.cabinetId.equals(cabinetId)) {
                    GroupNodes.CabinetNodes.CompartmentNodes compartment = cabinet.compartments.get(label);
                    if (compartment != null) {
                        return Optional.of(compartment.object);
                    }
                }
            }
        }
        if (cabinetId != null && group.cabinets.containsKey(cabinetId)) {
            return Optional.of(group.cabinets.get(cabinetId).object);
        }
        return Optional.of(group.object);
    }

    /** Compartment objects in the tree (tools and benchmarks wait for it). */
    int compartmentCount() {
        return compartmentsByNode.size();
    }

    Set<String> groupIds() {
        return Set.copyOf(groups.keySet());
    }

    /** Adds or updates a group's own values (not its cabinets). */
    void applyGroup(CabinetGroup group) {
        GroupNodes nodes = groups.get(group.groupId());
        if (nodes == null) {
            nodes = new GroupNodes(group.groupId());
            groups.put(group.groupId(), nodes);
        }
        nodes.update(group);
    }

    void removeGroup(String groupId) {
        GroupNodes nodes = groups.remove(groupId);
        if (nodes != null) {
            nodes.delete();
        }
    }

    /** Makes the group's cabinets match {@code cabinets} (added, updated, removed) and sets the group's Online. */
    void applyCabinets(String groupId, List<Cabinet> cabinets) {
        GroupNodes group = groups.get(groupId);
        if (group != null) {
            group.applyCabinets(cabinets);
        }
    }

    /** Makes the group's compartments match {@code compartments} and recounts the group's totals. */
    void applyCompartments(String groupId, List<Compartment> compartments) {
        GroupNodes group = groups.get(groupId);
        if (group != null) {
            group.applyCompartments(compartments);
        }
    }

    private static String segment(String id) {
        // node ids are paths: keep ids readable but never let them add path levels
        return id.replace('/', '_');
    }

    private final class GroupNodes {

        private final String path;
        private final UaObjectNode object;
        private final UaVariableNode name;
        private final UaVariableNode address;
        private final UaVariableNode online;
        private final UaVariableNode total;
        private final UaVariableNode free;
        private final UaVariableNode occupied;
        private final UaVariableNode fault;
        private final UaFolderNode cabinetsFolder;
        private final Map<String, CabinetNodes> cabinets = new LinkedHashMap<>();

        GroupNodes(String groupId) {
            path = groupsFolder.getNodeId().getIdentifier() + "/" + segment(groupId);
            object = ns.object(groupsFolder, path, groupId, "Cabinet group " + groupId + ".");
            name = ns.variable(object, "Name", NodeIds.String, true, "The locker's name shown to residents.", "");
            address = ns.variable(object, "Address", NodeIds.String, true,
                    "Postal address of the group (registry data R21).", "");
            online = ns.variable(object, "Online", NodeIds.Boolean, false,
                    "True while at least one of the group's cabinets is online.", false);
            total = ns.variable(object, "CompartmentsTotal", NodeIds.UInt32, false,
                    "Compartments in the group, whatever their state.", UInteger.MIN);
            free = ns.variable(object, "CompartmentsFree", NodeIds.UInt32, false,
                    "Compartments in state FREE (available for deposits).", UInteger.MIN);
            occupied = ns.variable(object, "CompartmentsOccupied", NodeIds.UInt32, false,
                    "Compartments in state OCCUPIED (holding a parcel).", UInteger.MIN);
            fault = ns.variable(object, "CompartmentsFault", NodeIds.UInt32, false,
                    "Compartments in state FAULT (need staff).", UInteger.MIN);
            cabinetsFolder = ns.folder(object.getNodeId(), path + "/Cabinets", "Cabinets",
                    "The group's cabinets (master first).");
        }

        void update(CabinetGroup group) {
            LockerNamespace.set(name, group.name() == null ? "" : group.name());
            String postal = group.info() == null || group.info().address() == null ? "" : group.info().address();
            LockerNamespace.set(address, postal);
        }

        void applyCabinets(List<Cabinet> list) {
            Set<String> seen = new HashSet<>();
            boolean anyOnline = false;
            for (Cabinet cabinet : list) {
                seen.add(cabinet.cabinetId());
                cabinets.computeIfAbsent(cabinet.cabinetId(), CabinetNodes::new).update(cabinet);
                anyOnline |= cabinet.online();
            }
            for (String gone : new ArrayList<>(cabinets.keySet())) {
                if (!seen.contains(gone)) {
                    cabinets.remove(gone).delete();
                }
            }
            LockerNamespace.set(online, anyOnline);
        }

        void applyCompartments(List<Compartment> list) {
            Map<String, List<Compartment>> byCabinet = new HashMap<>();
            long nFree = 0;
            long nOccupied = 0;
            long nFault = 0;
            for (Compartment compartment : list) {
                byCabinet.computeIfAbsent(compartment.cabinetId(), c -> new ArrayList<>()).add(compartment);
                nFree += compartment.state() == CompartmentState.FREE ? 1 : 0;
                nOccupied += compartment.state() == CompartmentState.OCCUPIED ? 1 : 0;
                nFault += compartment.state() == CompartmentState.FAULT ? 1 : 0;
            }
            for (CabinetNodes cabinet : cabinets.values()) {
                cabinet.applyCompartments(byCabinet.getOrDefault(cabinet.cabinetId, List.of()));
            }
            LockerNamespace.set(total, UInteger.valueOf(list.size()));
            LockerNamespace.set(free, UInteger.valueOf(nFree));
            LockerNamespace.set(occupied, UInteger.valueOf(nOccupied));
            LockerNamespace.set(fault, UInteger.valueOf(nFault));
        }

        void delete() {
            for (CabinetNodes cabinet : cabinets.values()) {
                cabinet.delete();
            }
            cabinets.clear();
            cabinetsFolder.delete();
            object.delete();
        }

        private final class CabinetNodes {

            private final String cabinetId;
            private final String cabinetPath;
            private final UaObjectNode object;
            private final UaVariableNode vendor;
            private final UaVariableNode model;
            private final UaVariableNode firmware;
            private final UaVariableNode cabinetOnline;
            private final UaVariableNode lastSeen;
            private final UaFolderNode compartmentsFolder;
            private final Map<String, CompartmentNodes> compartments = new LinkedHashMap<>();

            CabinetNodes(String cabinetId) {
                this.cabinetId = cabinetId;
                cabinetPath = cabinetsFolder.getNodeId().getIdentifier() + "/" + segment(cabinetId);
                object = ns.object(cabinetsFolder, cabinetPath, cabinetId, "Cabinet " + cabinetId + ".");
                vendor = ns.variable(object, "Vendor", NodeIds.String, true,
                        "Vendor protocol bundle driving the cabinet (lockergate.vendor: coap, cu48, kerong ...).", "");
                model = ns.variable(object, "Model", NodeIds.String, true, "Vendor's model name.", "");
                firmware = ns.variable(object, "Firmware", NodeIds.String, true,
                        "Firmware version as reported by the cabinet.", "");
                cabinetOnline = ns.variable(object, "Online", NodeIds.Boolean, false,
                        "True while a driver is attached and the cabinet answers heartbeats.", false);
                lastSeen = ns.variable(object, "LastSeen", NodeIds.UtcTime, false,
                        "Last heartbeat or event from the cabinet (UTC); empty when never seen.", null);
                compartmentsFolder = ns.folder(object.getNodeId(), cabinetPath + "/Compartments", "Compartments",
                        "The cabinet's compartments (格口), by door label.");
            }

            void update(Cabinet cabinet) {
                LockerNamespace.set(vendor, text(cabinet.vendor()));
                LockerNamespace.set(model, text(cabinet.model()));
                LockerNamespace.set(firmware, text(cabinet.firmware()));
                LockerNamespace.set(cabinetOnline, cabinet.online());
                LockerNamespace.set(lastSeen, time(cabinet.lastSeen()));
            }

            void applyCompartments(List<Compartment> list) {
                Set<String> seen = new HashSet<>();
                for (Compartment compartment : list) {
                    seen.add(compartment.label());
                    compartments.computeIfAbsent(compartment.label(),
                            label -> new CompartmentNodes(compartment.groupId(), label)).update(compartment);
                }
                for (String gone : new ArrayList<>(compartments.keySet())) {
                    if (!seen.contains(gone)) {
                        compartments.remove(gone).delete();
                    }
                }
            }

            void delete() {
                for (CompartmentNodes compartment : compartments.values()) {
                    compartment.delete();
                }
                compartments.clear();
                compartmentsFolder.delete();
                object.delete();
            }

            private final class CompartmentNodes {

                private final UaObjectNode object;
                private final UaVariableNode size;
                private final UaVariableNode state;
                private final UaVariableNode doorOpen;
                private final UaVariableNode itemPresent;
                private final UaVariableNode occupiedSince;
                private final UaVariableNode board;
                private final UaVariableNode channel;

                CompartmentNodes(String groupId, String label) {
                    String compartmentPath = compartmentsFolder.getNodeId().getIdentifier() + "/" + segment(label);
                    object = ns.object(compartmentsFolder, compartmentPath, label, "Compartment " + label
                            + " (door label, unique in the group).");
                    size = ns.variable(object, "Size", types.sizeClass(), true,
                            "Size class by inner height (enumeration SizeClass: 0 S, 1 M, 2 L).", 0);
                    state = ns.variable(object, "State", types.compartmentState(), false,
                            "Compartment state (enumeration CompartmentState: 0 FREE, 1 RESERVED, 2 OPENING,"
                                    + " 3 OCCUPIED, 4 FAULT, 5 DISABLED).", 0);
                    doorOpen = ns.variable(object, "DoorOpen", NodeIds.Boolean, false,
                            "Door sensor: true while the door is open.", false);
                    itemPresent = ns.variable(object, "ItemPresent", NodeIds.Boolean, false,
                            "Occupancy sensor: true while something is inside.", false);
                    occupiedSince = ns.variable(object, "OccupiedSince", NodeIds.UtcTime, false,
                            "When the door closed on the current parcel (UTC); empty while no parcel is inside.", null);
                    board = ns.variable(object, "Board", NodeIds.UInt32, true,
                            "Lock board number, from 1.", UInteger.MIN);
                    channel = ns.variable(object, "Channel", NodeIds.UInt32, true,
                            "Channel on the lock board, from 1.", UInteger.MIN);
                    for (UaMethodNode method : compartmentMethods) {
                        object.addReference(new Reference(object.getNodeId(), NodeIds.HasComponent,
                                method.getNodeId().expanded(), true));
                    }
                    compartmentsByNode.put(object.getNodeId(), new CompartmentRef(groupId, cabinetId, label));
                }

                void update(Compartment compartment) {
                    LockerNamespace.set(size, compartment.size().ordinal());
                    LockerNamespace.set(state, compartment.state().ordinal());
                    LockerNamespace.set(doorOpen, !compartment.doorClosed());
                    LockerNamespace.set(itemPresent, compartment.itemPresent());
                    LockerNamespace.set(occupiedSince, time(compartment.occupiedSince()));
                    LockerNamespace.set(board, UInteger.valueOf(Math.max(0, compartment.board())));
                    LockerNamespace.set(channel, UInteger.valueOf(Math.max(0, compartment.channel())));
                }

                void delete() {
                    compartmentsByNode.remove(object.getNodeId());
                    // the shared method nodes are HasComponent children: unlink them so delete() leaves them be
                    for (UaMethodNode method : compartmentMethods) {
                        object.removeReference(new Reference(object.getNodeId(), NodeIds.HasComponent,
                                method.getNodeId().expanded(), true));
                    }
                    object.delete();
                }
            }
        }
    }

    private static String text(String value) {
        return value == null ? "" : value;
    }

    private static DateTime time(Instant instant) {
        return instant == null ? null : new DateTime(instant);
    }
}
