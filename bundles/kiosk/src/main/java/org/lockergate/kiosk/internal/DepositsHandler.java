package org.lockergate.kiosk.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.lockergate.api.locker.DepositRequest;
import org.lockergate.api.locker.DepositResult;
import org.lockergate.api.locker.KioskService;
import org.lockergate.api.locker.LockerException;
import org.lockergate.api.locker.LockerQueries;
import org.lockergate.api.model.Consent;
import org.lockergate.api.model.Declaration;
import org.lockergate.api.model.SizeClass;
import org.lockergate.api.time.GatewayClock;
import org.lockergate.kiosk.coap.LockerErrors;
import org.lockergate.transport.coap.CoapCall;
import org.lockergate.transport.coap.CoapHandler;
import org.lockergate.transport.coap.CoapResponseCode;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * {@code POST /groups/{groupId}/deposits} → 2.01 {@code {"parcelId","cabinetId","compartment","unlock","skipped"}}.
 * The body is checked field by field before the core sees it (4.00 {@code bad_request} with {@code field}); the
 * core's refusals ({@code no_session}, {@code no_consent}, {@code excluded}, {@code full} with {@code suggest},
 * {@code no_working_compartment}, {@code paused}, {@code storage_full}) go out through {@link LockerErrors}.
 *
 * <p>{@code consent} may be absent (the core answers {@code no_consent}); {@code declared} and its four flags are
 * required, so a kiosk cannot skip the R2 declaration. {@code senderAgreed} is read at the top level and, as the
 * model has it, inside {@code declared}; either one counts.
 */
@Component(service = CoapHandler.class, configurationPid = KioskConfig.PID, property = {
    CoapHandler.PATH + "=/groups/{groupId}/deposits",
    CoapHandler.METHODS + "=POST"})
public final class DepositsHandler implements CoapHandler {

    static final Pattern WAYBILL = Pattern.compile("[\\x21-\\x7E]{1,40}");
    static final Pattern PHONE = Pattern.compile("1[0-9]{10}");
    static final Pattern SIZE = Pattern.compile("[SML]");

    private final KioskService kiosk;
    private final LockerQueries queries;
    private final KioskAccess access;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile GatewayClock clock;

    @Activate
    public DepositsHandler(@Reference(name = "kiosk") KioskService kiosk,
            @Reference(name = "queries") LockerQueries queries, KioskConfig config) {
        this(kiosk, queries, KioskAccess.of(config));
    }

    /** Without configuration ({@link KioskAccess#DEFAULT}). */
    DepositsHandler(KioskService kiosk, LockerQueries queries) {
        this(kiosk, queries, KioskAccess.DEFAULT);
    }

    DepositsHandler(KioskService kiosk, LockerQueries queries, KioskAccess access) {
        this.kiosk = kiosk;
        this.queries = queries;
        this.access = access;
    }

    @Override
    public void handle(CoapCall call) {
        String groupId = KioskSupport.group(call, queries, access);
        DepositRequest request = request(Fields.of(call.json()));
        try {
            DepositResult result = kiosk.deposit(groupId, request);
            List<Map<String, Object>> skipped = new ArrayList<>();
            for (DepositResult.Skipped s : result.skipped()) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("compartment", s.compartment());
                entry.put("outcome", s.outcome());
                skipped.add(entry);
            }
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("parcelId", result.parcelId());
            answer.put("cabinetId", result.cabinetId());
            answer.put("compartment", result.compartment());
            answer.put("unlock", result.unlock());
            answer.put("skipped", skipped);
            call.respond(CoapResponseCode.CREATED, answer);
        } catch (LockerException e) {
            LockerErrors.respond(call, e, KioskSupport.zone(clock));
        }
    }

    /** The body as a request, or 4.00 naming the first field that is missing or malformed. */
    static DepositRequest request(Fields body) {
        String session = body.text("session", 256);
        String waybill = body.string("waybill", WAYBILL, "须为 1–40 个可打印 ASCII 字符（无空格）",
                "must be 1-40 printable ASCII characters without spaces");
        SizeClass size = SizeClass.valueOf(body.string("size", SIZE, "须为 S、M 或 L", "must be S, M or L"));
        String phone = body.string("phone", PHONE, "须为以 1 开头的 11 位数字", "must be 11 digits starting with 1");
        Consent consent = null;
        Fields c = body.object("consent", false);
        if (c != null) {
            consent = new Consent(c.text("channel", 32), c.text("ref", 64), c.time("at"),
                    c.bool("feeTermsAccepted", false));
        }
        Fields d = body.object("declared", true);
        boolean senderAgreed = body.bool("senderAgreed", false) | d.bool("senderAgreed", false);
        Declaration declared = new Declaration(d.bool("damaged"), d.bool("weightMismatch"), d.bool("fresh"),
                d.bool("valuable"), senderAgreed);
        boolean preferLow = body.bool("preferLow", false);
        return new DepositRequest(session, waybill, size, phone, consent, declared, preferLow);
    }
}
