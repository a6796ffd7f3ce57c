using Cloud.Host;
using Cloud.Modules.Api;
using Cloud.Modules.Compute;
using Cloud.Modules.Compute.Drivers.Fake;
using Cloud.Modules.Compute.Drivers.Libvirt;
using Cloud.Modules.Glance;
using Cloud.Modules.Glance.Cache;
using Cloud.Modules.Identity;
using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Bus;
using Cloud.Modules.Kernel.Bus.Amqp;
using Cloud.Modules.Kernel.Cache;
using Cloud.Modules.Kernel.Flags;
using Cloud.Modules.Network;
using Cloud.Modules.Scheduler;
using Cloud.Modules.Swift.Common;
using Cloud.Modules.Swift.Proxy;
using Cloud.Modules.Swift.Storage;
using Cloud.Modules.Volume;
using FluentAssertions;
using Microsoft.Extensions.Configuration;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Kernel;

/// <summary>Each flags class's validator: the defaults pass, a bad value is refused naming the flag and the value.</summary>
public sealed class FlagValidatorTests
{
    private static IEnumerable<TestCaseData> BadValues()
    {
        yield return Bad(new CommonFlags { ReportInterval = -1 }, "--report_interval=-1: must be at least 1 second");
        yield return Bad(new CommonFlags { SqlConnection = "postgres://db" }, "--sql_connection: unsupported database 'postgres'");
        yield return Bad(new BusFlags { RpcBackend = "zeromq" }, "--rpc_backend=zeromq: use inprocess or amqp");
        yield return Bad(new AmqpFlags { RabbitPort = 70000 }, "--rabbit_port=70000: must be a TCP port");
        yield return Bad(new CacheFlags { MemcacheServers = "127.0.0.1:notaport" }, "--memcache_servers: entry '127.0.0.1:notaport' is not host:port");
        yield return Bad(new MetadataFlags { MetadataPort = 0 }, "--metadata_port=0: must be a TCP port");
        yield return Bad(new ApiFlags { OsapiComputeListenPort = -5 }, "--osapi_compute_listen_port=-5: must be a TCP port");
        yield return Bad(new IdentityFlags { TokenExpiration = 0 }, "--token_expiration=0: must be at least 1 second");
        yield return Bad(new QuotaFlags { Cores = -2 }, "--quota_cores=-2: must be -1 (unlimited) or more");
        yield return Bad(new SchedulerFlags { RamAllocationRatio = 0 }, "--ram_allocation_ratio=0: must be positive");
        yield return Bad(new ComputeFlags { ComputeDriver = "xen" }, "--compute_driver=xen: use libvirt (or fake, a test double)");
        yield return Bad(new ImageReaderFlags { User = " " }, "--image_reader_user= : must name the image reader service user");
        yield return Bad(new FakeDriverFlags { Vcpus = 0 }, "--fake_vcpus=0: must be at least 1");
        yield return Bad(new InstanceMoveFlags { ShelvedOffloadTime = -2 }, "--shelved_offload_time=-2: must be -1 (never), 0 (at once) or a number of seconds");
        yield return Bad(new LibvirtFlags { ShutdownTimeout = -1 }, "--libvirt_shutdown_timeout=-1: must be 0");
        yield return Bad(new NetworkFlags { NetworkSize = 2 }, "--network_size=2: must be at least 4");
        yield return Bad(new VolumeFlags { VolumeNameTemplate = "../volume" }, "--volume_name_template=../volume: must hold exactly one");
        yield return Bad(new GlanceFlags { DefaultStore = "tape" }, "--default_store=tape: unknown image store");
        yield return Bad(new GlanceSwiftStoreFlags { SwiftStoreLargeObjectChunkSize = 0 }, "--swift_store_large_object_chunk_size=0: must be at least 1 MiB");
        yield return Bad(new ImageCacheFlags { ImageCacheStallTime = 0 }, "--image_cache_stall_time=0: must be at least 1 second");
        yield return Bad(new SwiftHashFlags { SwiftHashPathSuffix = "" }, "--swift_hash_path_suffix=: set a secret salt");
        yield return Bad(new SwiftRingFlags { SwiftDir = " " }, "--swift_dir= : must name the directory of the rings");
        yield return Bad(new SwiftConsistencyFlags { ObjectAuditorInterval = -1 }, "--swift_object_auditor_interval=-1: must be 0 (off) or more seconds");
        yield return Bad(new SwiftContainerSyncFlags { SwiftContainerSyncInterval = -1 }, "--swift_container_sync_interval=-1: must be 0 (off) or more seconds");
        yield return Bad(new SwiftContainerSyncFlags { SwiftContainerSyncRealms = "realm1,cluster_a=http://x/v1/" }, "--swift_container_sync_realms=realm1: a realm needs a name and a key");
        yield return Bad(new SwiftProxyFlags { SwiftCertFile = "/etc/cloudd/proxy.pem" }, "swift_cert_file/swift_key_file: set both");
        yield return Bad(new SwiftProxyFlags { SwiftServiceRoles = "SERVICE=service" }, "--swift_service_roles 'SERVICE=service' names prefix 'SERVICE'");
        yield return Bad(new SwiftWebFlags { SwiftAccountRatelimit = -1 }, "--swift_account_ratelimit=-1: must be 0 (no limit) or a positive rate");
        yield return Bad(new SwiftStorageFlags { SwiftStorageListen = "0.0.0.0" }, "--swift_storage_listen=0.0.0.0: the object, container and account servers take no authentication");
        yield return Bad(new SwiftStorageFlags { SwiftThreadsPerDisk = -1 }, "--swift_threads_per_disk=-1: must be between 0 and 64");
    }

    private static TestCaseData Bad(IValidatedFlags flags, string message) =>
        new TestCaseData(flags, message).SetArgDisplayNames(flags.GetType().Name, message.Split(':')[0]);

    [TestCaseSource(nameof(BadValues))]
    public void A_bad_value_is_refused_naming_flag_and_value(IValidatedFlags flags, string message) =>
        flags.Invoking(f => f.Validate()).Should().Throw<FlagException>().Which.Message.Should().StartWith(message);

    [Test]
    public void Every_flags_class_has_a_validator_that_its_defaults_pass()
    {
        foreach (var type in ModuleCatalog.FlagTypes)
        {
            var defaults = Activator.CreateInstance(type).Should().BeAssignableTo<IValidatedFlags>($"{type.Name} needs a validator").Subject;
            defaults.Invoking(f => f.Validate()).Should().NotThrow($"{type.Name}'s defaults must be valid");
        }
    }

    [Test]
    public void The_validators_run_on_the_flags_as_configured()
    {
        var flags = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["report_interval"] = "0" }).Build();

        ((Action)(() => FlagValidation.Run(flags, [typeof(CommonFlags)]))).Should().Throw<FlagException>()
            .WithMessage("--report_interval=0: must be at least 1 second");
    }

    [Test]
    public void Every_flags_class_has_a_bad_value_case() =>
        BadValues().Select(c => c.Arguments[0]!.GetType()).Distinct().Should().BeEquivalentTo(
            ModuleCatalog.FlagTypes.Distinct());
}
