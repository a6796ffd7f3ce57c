using System.Text.Json;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Integration;

/// <summary>
/// The server actions of nova's pause_server, suspend_server, rescue, lock_server and admin_actions, and os-instance-actions,
/// driven by the real <c>openstack</c> client (and raw HTTP for the microversion details) against a cloudd on the fake
/// driver: each action's state checks and 409 messages, locks by owner and admin, reset state,
/// and the actions recorded with their events.
/// Runs once, on SQLite with the in-process bus (the all-in-one's defaults): its SQL is dialect-neutral (the dialect-specific
/// migrations run on both in MigrationUpgradeContractTests) and the MariaDB path of the Compute API runs in NovaClientTests;
/// a second run on MariaDB would add minutes of client start-ups to CI and nothing it could find.
/// </summary>
[TestFixture(false, Category = "Integration")]
[NonParallelizable]
public sealed class NovaServerActionsTests(bool mariaDb)
{
    private ComputeApiCloud _cloud = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _cloud = await ComputeApiCloud.StartAsync(mariaDb);

    [OneTimeTearDown]
    public async Task StopAsync() => await _cloud.DisposeAsync();

    private Task<string> OpenstackOkAsync(string user, params string[] args) => _cloud.OpenstackOkAsync(user, args);

    private Task<string> OpenstackFailsAsync(string user, params string[] args) => _cloud.OpenstackFailsAsync(user, args);

    /// <summary>The message of a nova error body (<c>{"badRequest": {"code": 400, "message": ...}}</c>).</summary>
    private static string? Message(string body) =>
        ComputeApiCloud.Json(body).EnumerateObject().First().Value.GetProperty("message").GetString();

    private async Task<string> ActiveServerAsync(string user, string name)
    {
        var id = (await OpenstackOkAsync(user, "server", "create", "--flavor", "m1.tiny", "--image", "ttylinux", "-f", "value", "-c", "id", name)).Trim();
        await StatusAsync(user, id, "ACTIVE");
        return id;
    }

    private async Task StatusAsync(string user, string id, string status)
    {
        var token = await _cloud.TokenAsync(user);
        var body = "";
        await Poller.UntilAsync(async () => (body = (await _cloud.NovaAsync(token, HttpMethod.Get, $"/v2.1/servers/{id}")).Body).Contains($"\"status\":\"{status}\"", StringComparison.Ordinal),
            TimeSpan.FromSeconds(60), $"server {id} to be {status} (last: {body})");
    }

    [Test]
    public async Task Openstack_pauses_suspends_and_rescues_a_server_and_each_refuses_the_wrong_state_with_novas_message()
    {
        var id = await ActiveServerAsync("alice", "cycled");

        await OpenstackOkAsync("alice", "server", "pause", id);
        await StatusAsync("alice", id, "PAUSED");
        (await OpenstackFailsAsync("alice", "server", "pause", id)).Should().Contain($"Cannot 'pause' instance {id} while it is in vm_state paused");
        (await OpenstackFailsAsync("alice", "server", "suspend", id)).Should().Contain($"Cannot 'suspend' instance {id} while it is in vm_state paused");
        await OpenstackOkAsync("alice", "server", "unpause", id);
        await StatusAsync("alice", id, "ACTIVE");

        await OpenstackOkAsync("alice", "server", "suspend", id);
        await StatusAsync("alice", id, "SUSPENDED");
        (await OpenstackFailsAsync("alice", "server", "unpause", id)).Should().Contain($"Cannot 'unpause' instance {id} while it is in vm_state suspended");
        await OpenstackOkAsync("alice", "server", "resume", id);
        await StatusAsync("alice", id, "ACTIVE");

        await OpenstackOkAsync("alice", "server", "rescue", "--password", "rescue-me", id);
        await StatusAsync("alice", id, "RESCUE");
        (await OpenstackFailsAsync("alice", "server", "resume", id)).Should().Contain($"Cannot 'resume' instance {id} while it is in vm_state rescued");
        await OpenstackOkAsync("alice", "server", "unrescue", id);
        await StatusAsync("alice", id, "ACTIVE");
        (await OpenstackFailsAsync("alice", "server", "unrescue", id)).Should().Contain($"Cannot 'unrescue' instance {id} while it is in vm_state active");

        var actions = await OpenstackOkAsync("alice", "server", "event", "list", id, "-f", "value", "-c", "Action");
        actions.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().Equal("unrescue", "rescue", "resume", "suspend", "unpause", "pause", "create");
    }

    [Test]
    public async Task Rescue_answers_the_password_and_refuses_an_image_that_is_not_there()
    {
        var token = await _cloud.TokenAsync("carol");
        var id = await ActiveServerAsync("carol", "rescued");

        var missing = await _cloud.NovaAsync(token, HttpMethod.Post, $"/v2.1/servers/{id}/action", new { rescue = new { rescue_image_ref = Guid.NewGuid().ToString() } });
        var unexpected = await _cloud.NovaAsync(token, HttpMethod.Post, $"/v2.1/servers/{id}/action", new { rescue = new { foo = 1 } });
        var rescued = await _cloud.NovaAsync(token, HttpMethod.Post, $"/v2.1/servers/{id}/action", new { rescue = new { rescue_image_ref = _cloud.ImageId } });

        missing.Status.Should().Be(400, missing.Body);
        missing.Body.Should().Contain("is not supported");
        unexpected.Status.Should().Be(400, unexpected.Body);
        Message(unexpected.Body).Should().EndWith("Additional properties are not allowed ('foo' was unexpected)");
        rescued.Status.Should().Be(200, rescued.Body);
        ComputeApiCloud.Json(rescued.Body).GetProperty("adminPass").GetString().Should().HaveLength(12);
        await StatusAsync("carol", id, "RESCUE");
    }

    [Test]
    public async Task A_locked_server_refuses_every_action_but_unlock_and_its_owner_cannot_lift_an_admins_lock()
    {
        var id = await ActiveServerAsync("alice", "locked");

        await OpenstackOkAsync("alice", "--os-compute-api-version", "2.73", "server", "lock", "--reason", "maintenance", id);
        foreach (var action in new[] { "pause", "suspend", "stop", "reboot", "rescue", "delete" })
        {
            (await OpenstackFailsAsync("alice", "server", action, id)).Should().Contain($"Instance {id} is locked", action);
        }
        await OpenstackOkAsync("alice", "server", "unlock", id);
        await OpenstackOkAsync("alice", "server", "pause", id);
        await StatusAsync("alice", id, "PAUSED");

        await OpenstackOkAsync("berendt", "server", "lock", id);
        (await OpenstackFailsAsync("alice", "server", "unlock", id)).Should().Contain("Policy doesn't allow os_compute_api:os-lock-server:unlock:unlock_override to be performed.");
        await OpenstackOkAsync("berendt", "server", "unpause", id);
        await StatusAsync("alice", id, "ACTIVE");
        await OpenstackOkAsync("berendt", "server", "unlock", id);
        await OpenstackOkAsync("alice", "server", "delete", "--wait", id);
    }

    [Test]
    public async Task Reset_state_is_for_admins_and_leaves_the_server_in_error_or_active()
    {
        var id = await ActiveServerAsync("carol", "reset");
        var token = await _cloud.TokenAsync("berendt");

        (await OpenstackFailsAsync("carol", "server", "set", "--state", "error", id)).Should().Contain("Policy doesn't allow os_compute_api:os-admin-actions:reset_state to be performed.");
        await OpenstackOkAsync("berendt", "server", "set", "--state", "error", id);
        await StatusAsync("carol", id, "ERROR");
        var bad = await _cloud.NovaAsync(token, HttpMethod.Post, $"/v2.1/servers/{id}/action", new Dictionary<string, object> { ["os-resetState"] = new { state = "paused" } });
        await OpenstackOkAsync("berendt", "server", "set", "--state", "active", id);
        await StatusAsync("carol", id, "ACTIVE");

        bad.Status.Should().Be(400, bad.Body);
        Message(bad.Body).Should().EndWith("is not one of ['active', 'error']");
        (await OpenstackOkAsync("carol", "server", "event", "list", id, "-f", "value", "-c", "Action")).Should().Contain("resetState");
    }

    [Test]
    public async Task Instance_actions_show_their_events_per_microversion_page_by_request_id_and_outlive_their_server()
    {
        var id = await ActiveServerAsync("carol", "evented");
        await OpenstackOkAsync("carol", "server", "pause", id);
        await StatusAsync("carol", id, "PAUSED");
        var carol = await _cloud.TokenAsync("carol");
        var admin = await _cloud.TokenAsync("berendt");

        var list = ComputeApiCloud.Json((await _cloud.NovaAsync(carol, HttpMethod.Get, $"/v2.1/servers/{id}/os-instance-actions", version: "2.58")).Body).GetProperty("instanceActions");
        var pause = list[0];
        var requestId = pause.GetProperty("request_id").GetString()!;
        var old = ComputeApiCloud.Json((await _cloud.NovaAsync(carol, HttpMethod.Get, $"/v2.1/servers/{id}/os-instance-actions/{requestId}", version: "2.50")).Body).GetProperty("instanceAction");
        var owner = ComputeApiCloud.Json((await _cloud.NovaAsync(carol, HttpMethod.Get, $"/v2.1/servers/{id}/os-instance-actions/{requestId}", version: "2.84")).Body).GetProperty("instanceAction");
        var adminView = ComputeApiCloud.Json((await _cloud.NovaAsync(admin, HttpMethod.Get, $"/v2.1/servers/{id}/os-instance-actions/{requestId}", version: "2.84")).Body).GetProperty("instanceAction");
        var page = ComputeApiCloud.Json((await _cloud.NovaAsync(carol, HttpMethod.Get, $"/v2.1/servers/{id}/os-instance-actions?limit=1", version: "2.58")).Body);
        var next = ComputeApiCloud.Json((await _cloud.NovaAsync(carol, HttpMethod.Get, $"/v2.1/servers/{id}/os-instance-actions?limit=1&marker={requestId}", version: "2.58")).Body);
        var badMarker = await _cloud.NovaAsync(carol, HttpMethod.Get, $"/v2.1/servers/{id}/os-instance-actions?marker=req-nope", version: "2.58");
        var missing = await _cloud.NovaAsync(carol, HttpMethod.Get, $"/v2.1/servers/{id}/os-instance-actions/req-nope");
        var stranger = await _cloud.NovaAsync(await _cloud.TokenAsync("alice"), HttpMethod.Get, $"/v2.1/servers/{id}/os-instance-actions");

        (pause.GetProperty("action").GetString(), pause.GetProperty("message").ValueKind, pause.TryGetProperty("updated_at", out _)).Should().Be(("pause", JsonValueKind.Null, true));
        list.EnumerateArray().Select(a => a.GetProperty("action").GetString()).Should().Equal("pause", "create");
        old.TryGetProperty("events", out _).Should().BeFalse("events are for admins before 2.51");
        var ownerEvent = owner.GetProperty("events")[0];
        ownerEvent.GetProperty("event").GetString().Should().Be("compute_pause_instance");
        ownerEvent.GetProperty("result").GetString().Should().Be("Success");
        ownerEvent.TryGetProperty("hostId", out _).Should().BeTrue();
        (ownerEvent.TryGetProperty("traceback", out _), ownerEvent.TryGetProperty("host", out _), ownerEvent.TryGetProperty("details", out _)).Should().Be((false, false, false));
        var adminEvent = adminView.GetProperty("events")[0];
        (adminEvent.TryGetProperty("traceback", out _), adminEvent.TryGetProperty("host", out _), adminEvent.TryGetProperty("details", out _)).Should().Be((true, true, true));
        page.GetProperty("instanceActions").GetArrayLength().Should().Be(1);
        page.GetProperty("links")[0].GetProperty("href").GetString().Should().EndWith($"/os-instance-actions?limit=1&marker={requestId}");
        next.GetProperty("instanceActions")[0].GetProperty("action").GetString().Should().Be("create");
        badMarker.Status.Should().Be(400, badMarker.Body);
        badMarker.Body.Should().Contain("Marker req-nope could not be found.");
        missing.Status.Should().Be(404, missing.Body);
        missing.Body.Should().Contain("Action req-nope not found");
        stranger.Status.Should().Be(404, stranger.Body);

        await OpenstackOkAsync("carol", "server", "delete", "--wait", id);
        (await _cloud.NovaAsync(carol, HttpMethod.Get, $"/v2.1/servers/{id}/os-instance-actions", version: "2.20")).Status.Should().Be(404);
        var afterDelete = ComputeApiCloud.Json((await _cloud.NovaAsync(carol, HttpMethod.Get, $"/v2.1/servers/{id}/os-instance-actions", version: "2.21")).Body);
        afterDelete.GetProperty("instanceActions")[0].GetProperty("action").GetString().Should().Be("delete");
    }
}
