package org.lockergate.opcua.internal;

import java.util.Arrays;
import org.eclipse.milo.opcua.sdk.core.Reference;
import org.eclipse.milo.opcua.sdk.core.nodes.DataTypeNodeProperties;
import org.eclipse.milo.opcua.sdk.server.nodes.UaDataTypeNode;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.eclipse.milo.opcua.stack.core.types.structured.EnumDefinition;
import org.eclipse.milo.opcua.stack.core.types.structured.EnumField;
import org.lockergate.api.model.CompartmentState;
import org.lockergate.api.model.SizeClass;

/**
 * The two enumeration DataTypes of the namespace, {@code SizeClass} (S, M, L) and {@code CompartmentState} (FREE …
 * DISABLED): subtypes of Enumeration with EnumStrings and an EnumDefinition, so generic clients show names. Values
 * on the wire are Int32, the enum's ordinal — the order of the API enums is part of this contract.
 */
final class LockerDataTypes {

    private final NodeId sizeClass;
    private final NodeId compartmentState;

    private LockerDataTypes(NodeId sizeClass, NodeId compartmentState) {
        this.sizeClass = sizeClass;
        this.compartmentState = compartmentState;
    }

    static LockerDataTypes register(LockerNamespace namespace) {
        NodeId size = enumeration(namespace, "SizeClass",
                "Compartment size class by inner height (R10): S 80-110 mm, M 110-250 mm, L over 250 mm.",
                Arrays.stream(SizeClass.values()).map(Enum::name).toArray(String[]::new));
        NodeId state = enumeration(namespace, "CompartmentState",
                "Compartment state: FREE usable, RESERVED held for a deposit, OPENING unlock under way, OCCUPIED holds"
                        + " a parcel, FAULT broken (never allocated), DISABLED taken out of service by staff.",
                Arrays.stream(CompartmentState.values()).map(Enum::name).toArray(String[]::new));
        namespace.server().updateDataTypeTree();
        return new LockerDataTypes(size, state);
    }

    NodeId sizeClass() {
        return sizeClass;
    }

    NodeId compartmentState() {
        return compartmentState;
    }

    private static NodeId enumeration(LockerNamespace namespace, String name, String description, String[] names) {
        EnumField[] fields = new EnumField[names.length];
        LocalizedText[] strings = new LocalizedText[names.length];
        for (int i = 0; i < names.length; i++) {
            strings[i] = LocalizedText.english(names[i]);
            fields[i] = new EnumField((long) i, strings[i], LocalizedText.NULL_VALUE, names[i]);
        }
        UaDataTypeNode node = new UaDataTypeNode(namespace.getNodeContext(), namespace.id("DataTypes/" + name),
                new org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName(
                        namespace.getNamespaceIndex(), name),
                LocalizedText.english(name), LocalizedText.english(description), UInteger.MIN, UInteger.MIN, false);
        node.setDataTypeDefinition(new EnumDefinition(fields));
        namespace.getNodeManager().addNode(node);
        node.addReference(new Reference(node.getNodeId(), NodeIds.HasSubtype, NodeIds.Enumeration.expanded(), false));
        node.setProperty(DataTypeNodeProperties.EnumStrings, strings);
        return node.getNodeId();
    }
}
