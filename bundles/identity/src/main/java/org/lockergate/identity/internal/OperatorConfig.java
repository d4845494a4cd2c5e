package org.lockergate.identity.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(
        name = "LockerGate operator",
        description = "One person who operates the gateway. One factory configuration per operator.")
@interface OperatorConfig {

    @AttributeDefinition(name = "User name", description = "Login name, unique, without spaces.")
    String username();

    @AttributeDefinition(
            name = "Password hash",
            description = "Argon2id PHC string ($argon2id$v=19$m=19456,t=2,p=1$...); "
                    + "make one with bin/lockergate-passwd or the shell command identity:hash.",
            type = AttributeType.PASSWORD)
    String passwordHash();

    @AttributeDefinition(
            name = "Roles",
            description = "One or more of: admin, technician, property, courier-company.",
            cardinality = 4)
    String[] roles();

    @AttributeDefinition(
            name = "Company",
            description = "Courier company code (e.g. ZTO); required with the courier-company role.",
            required = false)
    String company();
}
