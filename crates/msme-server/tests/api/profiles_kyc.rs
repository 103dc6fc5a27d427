//! Profiles and KYC over HTTP: one's own to change, completion that says what is missing,
//! identifiers checked field by field, and the admins' verify and reject desk.

use msme_testkit::{assert_error, error_code, error_field, TestApp};
use reqwest::StatusCode;
use serde_json::{json, Value};

async fn profiles_are_changed_only_by_their_owner_and_say_what_is_missing(app: TestApp) {
    let (seller_id, seller) = app.signed_in("9740000001", "seller").await;
    let (_, buyer) = app.signed_in("9740000002", "buyer").await;
    let empty = app.json_ok("/v1/profiles/me", &seller).await;
    assert_eq!(empty["completion"]["score"], 0);
    assert_eq!(empty["completion"]["missing"].as_array().unwrap().len(), 5);
    assert!(empty["updated_at"].is_null());

    let fields = json!({"company_name": "Rao Precision Pvt Ltd", "city": "Pune", "state": "MH"});
    let res = app.put_auth("/v1/profiles/me", &seller, fields).await;
    assert_eq!(res.status(), StatusCode::OK);
    let saved: Value = res.json().await.unwrap();
    assert_eq!(
        saved["completion"],
        json!({"score": 60, "missing": ["about", "business_owner_name"]})
    );
    assert_eq!(saved["fields"]["company_name"], "Rao Precision Pvt Ltd");

    let wrong_role = json!({"ticket_min_paise": 100});
    assert_eq!(
        error_field(app.put_auth("/v1/profiles/me", &seller, wrong_role).await).await,
        "ticket_min_paise"
    );
    let unknown = json!({"company": "x"});
    assert_eq!(
        error_field(app.put_auth("/v1/profiles/me", &seller, unknown).await).await,
        "company"
    );
    let bad = json!({"ticket_min_paise": 10, "ticket_max_paise": 5});
    assert_eq!(
        error_field(app.put_auth("/v1/profiles/me", &buyer, bad).await).await,
        "ticket_max_paise"
    );

    // Others may read a profile (what people show) but have no way to write it, and do not
    // see the seller's company (which would unmask an anonymous listing).
    let shown = app
        .json_ok(&format!("/v1/profiles/{seller_id}"), &buyer)
        .await;
    assert!(shown["fields"]["company_name"].is_null(), "{shown}");
    let own = app.json_ok("/v1/profiles/me", &seller).await;
    assert_eq!(own["fields"]["company_name"], "Rao Precision Pvt Ltd");
    assert!(shown.get("mobile").is_none());
    let res = app
        .put_auth(
            &format!("/v1/profiles/{seller_id}"),
            &buyer,
            json!({"about": "x"}),
        )
        .await;
    assert_error(res, StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed").await;
    let res = app
        .put_auth("/v1/profiles/me", &buyer, json!({"about": "Family office"}))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let still = app.json_ok("/v1/profiles/me", &seller).await;
    assert_eq!(still["fields"]["about"], Value::Null);
    let missing = format!("/v1/profiles/{}", uuid::Uuid::now_v7());
    assert_eq!(
        error_code(app.get_auth(&missing, &buyer).await, StatusCode::NOT_FOUND).await,
        "profile_not_found"
    );
    app.stop().await;
}

async fn kyc_identifiers_are_checked_field_by_field(app: TestApp) {
    let (_, seller) = app.signed_in("9740000011", "seller").await;
    let me = app.json_ok("/v1/kyc/me", &seller).await;
    assert_eq!(
        (me["status"].as_str(), me["pan"].as_str()),
        (Some("not_started"), None)
    );
    let cases = [
        (json!({"pan": "AAPFU0939"}), "pan"),
        (
            json!({"pan": "AAPFU0939F", "gstin": "27AAPFU0939F1ZX"}),
            "gstin",
        ),
        (
            json!({"pan": "AAGCB7383J", "gstin": "27AAPFU0939F1ZV"}),
            "gstin",
        ),
        (
            json!({"pan": "AAPFU0939F", "udyam": "UDYAM-MH-1-12"}),
            "udyam",
        ),
        (
            json!({"pan": "AAPFU0939F", "aadhaar_last4": "1234"}),
            "aadhaar_last4",
        ),
        (
            json!({"pan": "ABCPE1234F", "aadhaar_last4": "123412341234"}),
            "aadhaar_last4",
        ),
        (
            json!({"pan": "ABCPE1234F", "aadhaar": "123412341234"}),
            "aadhaar",
        ),
    ];
    for (body, field) in cases {
        let res = app.post_auth("/v1/kyc", &seller, body.clone()).await;
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{body}");
        let err: Value = res.json().await.unwrap();
        assert_eq!(err["error"]["field"], field, "{body}");
        assert!(
            !err.to_string().contains("123412341234"),
            "the Aadhaar number is echoed"
        );
    }
    let res = app
        .post_auth(
            "/v1/kyc",
            &seller,
            json!({"pan": "AAPFU0939F", "gstin": "27AAPFU0939F1ZV"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let kyc: Value = res.json().await.unwrap();
    assert_eq!(
        (kyc["status"].as_str(), kyc["gstin"].as_str()),
        (Some("submitted"), Some("27AAPFU0939F1ZV"))
    );
    let res = app
        .post_auth("/v1/kyc", &seller, json!({"pan": "AAPFU0939F"}))
        .await;
    assert_error(res, StatusCode::CONFLICT, "illegal_transition").await;
    app.stop().await;
}

/// Two accounts with submitted KYC, and an admin.
struct Desk {
    app: TestApp,
    a_id: String,
    b_id: String,
    b: String,
    admin: String,
}

async fn desk(app: TestApp) -> Desk {
    let (a_id, a) = app.signed_in("9740000021", "seller").await;
    let (b_id, b) = app.signed_in("9740000022", "buyer").await;
    let admin = app.admin_token("9740000029").await;
    let individual = json!({"pan": "ABCPE1234F", "aadhaar_last4": "4321"});
    for (token, body) in [(&a, json!({"pan": "AAPFU0939F"})), (&b, individual)] {
        let res = app.post_auth("/v1/kyc", token, body).await;
        assert_eq!(res.status(), StatusCode::CREATED);
    }
    Desk {
        app,
        a_id,
        b_id,
        b,
        admin,
    }
}

async fn nobody_but_admins_reads_or_decides_others_kyc(app: TestApp) {
    let Desk {
        app, a_id, b_id, b, ..
    } = desk(app).await;
    let res = app.get_auth(&format!("/v1/kyc/{a_id}"), &b).await;
    assert_error(res, StatusCode::FORBIDDEN, "forbidden").await;
    let own = app.json_ok(&format!("/v1/kyc/{b_id}"), &b).await;
    assert_eq!(own["pan"], "ABCPE1234F");
    // Not even one's own record can be verified by its owner.
    for id in [&a_id, &b_id] {
        let res = app
            .post_auth(&format!("/v1/kyc/{id}/verify"), &b, json!({}))
            .await;
        assert_error(res, StatusCode::FORBIDDEN, "forbidden").await;
        let no = json!({"reason": "no"});
        let res = app.post_auth(&format!("/v1/kyc/{id}/reject"), &b, no).await;
        assert_error(res, StatusCode::FORBIDDEN, "forbidden").await;
    }
    let res = app.get_auth("/v1/kyc", &b).await;
    assert_error(res, StatusCode::FORBIDDEN, "forbidden").await;
    assert_eq!(app.json_ok("/v1/kyc/me", &b).await["status"], "submitted");
    app.stop().await;
}

async fn admins_page_through_the_queue(app: TestApp) {
    let Desk { app, admin, .. } = desk(app).await;
    let queue = app.json_ok("/v1/kyc?status=submitted", &admin).await;
    assert_eq!(queue["items"].as_array().unwrap().len(), 2);
    let page = app
        .json_ok("/v1/kyc?status=submitted&limit=1", &admin)
        .await;
    let cursor = page["next_cursor"].as_str().expect("a second page");
    let next = format!("/v1/kyc?status=submitted&limit=1&cursor={cursor}");
    let rest = app.json_ok(&next, &admin).await;
    assert_ne!(rest["items"][0]["user_id"], page["items"][0]["user_id"]);
    assert!(rest["next_cursor"].is_null());
    let verified = app.json_ok("/v1/kyc?status=verified", &admin).await;
    assert!(verified["items"].as_array().unwrap().is_empty());
    let res = app.get_auth("/v1/kyc?status=pending", &admin).await;
    assert_eq!(error_field(res).await, "status");
    let nobody = format!("/v1/kyc/{}", uuid::Uuid::now_v7());
    let res = app.get_auth(&nobody, &admin).await;
    assert_error(res, StatusCode::NOT_FOUND, "kyc_not_found").await;
    app.stop().await;
}

async fn admins_verify_and_reject_with_a_reason(app: TestApp) {
    let Desk {
        app,
        a_id,
        b_id,
        b,
        admin,
    } = desk(app).await;
    let res = app
        .post_auth(&format!("/v1/kyc/{a_id}/verify"), &admin, json!({}))
        .await;
    let verified: Value = res.json().await.unwrap();
    assert_eq!(verified["status"], "verified");
    assert!(verified["decided_by"]
        .as_str()
        .unwrap()
        .starts_with("user:"));
    let res = app
        .post_auth(&format!("/v1/kyc/{a_id}/verify"), &admin, json!({}))
        .await;
    assert_error(res, StatusCode::CONFLICT, "illegal_transition").await;
    let reject = format!("/v1/kyc/{b_id}/reject");
    let res = app.post_auth(&reject, &admin, json!({"reason": ""})).await;
    assert_eq!(error_field(res).await, "reason");
    let why = "PAN name does not match the account";
    let res = app.post_auth(&reject, &admin, json!({"reason": why})).await;
    assert_eq!(res.status(), StatusCode::OK);
    let mine = app.json_ok("/v1/kyc/me", &b).await;
    let seen = (mine["status"].as_str(), mine["rejection_reason"].as_str());
    assert_eq!(seen, (Some("rejected"), Some(why)));
    let res = app
        .post_auth("/v1/kyc", &b, json!({"pan": "ABCPE1234F"}))
        .await;
    assert_eq!(
        res.status(),
        StatusCode::CREATED,
        "resubmitted after rejection"
    );
    app.stop().await;
}

msme_testkit::on_each_backend!(
    nobody_but_admins_reads_or_decides_others_kyc,
    admins_page_through_the_queue,
    admins_verify_and_reject_with_a_reason,
    profiles_are_changed_only_by_their_owner_and_say_what_is_missing,
    kyc_identifiers_are_checked_field_by_field,
);
