def test_login_me_logout(ward_setup, login):
    api = login(ward_setup["nurse"])
    me = api.get("/api/v1/me")
    assert me.status_code == 200
    assert me.get_json()["ward_ids"] == [ward_setup["ward_a"].id]
    assert api.post("/api/v1/auth/logout").status_code == 204
    assert api.get("/api/v1/me").status_code == 401
