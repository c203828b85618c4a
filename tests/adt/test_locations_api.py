"""The admins' location mapping: GET/PUT/DELETE /api/v1/adt/locations…"""


def test_admin_maps_changes_and_removes_a_point_of_care(make, login):
    ward_a, ward_b = make.ward("Ward A"), make.ward("Ward B")
    admin = login(make.user("ada", "admin"))
    created = admin.put("/api/v1/adt/locations/PSY1", json={"ward_id": ward_a.id})
    assert created.status_code == 201 and created.get_json()["point_of_care"] == "PSY1"
    assert admin.put("/api/v1/adt/locations/PSY1", json={"ward_id": ward_b.id}).status_code == 200
    assert admin.get("/api/v1/adt/locations/PSY1").get_json()["ward_id"] == ward_b.id
    assert [row["point_of_care"] for row in admin.get("/api/v1/adt/locations").get_json()] == ["PSY1"]
    assert admin.delete("/api/v1/adt/locations/PSY1").status_code == 204
    assert admin.get("/api/v1/adt/locations/PSY1").status_code == 404


def test_422_names_the_field(make, login):
    make.ward("Ward A")
    admin = login(make.user("ada", "admin"))
    unknown = admin.put("/api/v1/adt/locations/PSY1", json={"ward_id": 999})
    assert unknown.status_code == 422
    assert unknown.headers["Content-Type"].startswith("application/problem+json")
    assert "ward_id" in unknown.get_json()["errors"]
    missing = admin.put("/api/v1/adt/locations/PSY1", json={})
    assert missing.status_code == 422 and "ward_id" in missing.get_json()["errors"]
    bad = admin.put("/api/v1/adt/locations/PS%5EY", json={"ward_id": 1})
    assert bad.status_code == 422 and "point_of_care" in bad.get_json()["errors"]


def test_staff_other_than_admins_may_not(make, login):
    ward = make.ward("Ward A")
    leader = login(make.user("tom", "team_leader", wards=[ward]))
    assert leader.put("/api/v1/adt/locations/PSY1", json={"ward_id": ward.id}).status_code == 403
