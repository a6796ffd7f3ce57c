// cloudd build: dotnet tool restore && dotnet cake --target=<Target>
//   Build           compile the solution
//   Test            tests with no category, which need nothing (unit, contract on SQLite, the in-process bus and the fake driver)
//   IntegrationTest tests that need MariaDB, RabbitMQ (CLOUD_TEST_MYSQL, CLOUD_TEST_AMQP), libvirt, an external program or a started cloudd
//   EndToEndTest    whole-cloud tests (real clients, libvirt) as modules add them
//   Ci              every test, CLOUD_TEST_REQUIRE=1, results in TestResults/*.trx
//   Run             cloudd --roles=all on embedded defaults (sample-configs/allinone.conf)
//   TestImage       the bootable test guest (scripts/make-test-image.sh) into .cache/test-image (skipped when up to date)
//   Bench           bus latency/throughput (in-process, and RabbitMQ when CLOUD_TEST_AMQP is set), cold start and RSS
var target = Argument("target", "Build");
var configuration = Argument("configuration", "Release");
var solution = "./cloud.sln";
var cloudd = $"./Cloud.Host/bin/{configuration}/net10.0/cloudd.dll";

Task("Build").Does(() =>
    DotNetBuild(solution, new DotNetBuildSettings { Configuration = configuration }));

DotNetTestSettings Tests(string filter, string results) => new DotNetTestSettings
{
    Configuration = configuration,
    NoBuild = true,
    Filter = filter,
    Loggers = { $"trx;LogFileName={results}.trx", "console;verbosity=normal" },
    ResultsDirectory = "./TestResults",
};

Task("Test").IsDependentOn("Build").Does(() =>
    DotNetTest(solution, Tests("TestCategory!=Integration&TestCategory!=EndToEnd", "test")));

Task("IntegrationTest").IsDependentOn("Build").Does(() =>
    DotNetTest(solution, Tests("TestCategory=Integration", "integration")));

Task("EndToEndTest").IsDependentOn("Build").Does(() =>
    DotNetTest(solution, Tests("TestCategory=EndToEnd", "endtoend")));

Task("Ci").IsDependentOn("Build").Does(() =>
{
    Environment.SetEnvironmentVariable("CLOUD_TEST_REQUIRE", "1");
    DotNetTest(solution, Tests("", "ci"));
});

Task("Run").IsDependentOn("Build").Does(() =>
{
    DotNetExecute(cloudd, "manage db sync --flagfile=sample-configs/allinone.conf");
    DotNetExecute(cloudd, "--roles=all --flagfile=sample-configs/allinone.conf");
});

Task("TestImage").Does(() =>
{
    var outDir = EnvironmentVariable("CLOUD_TEST_IMAGE_DIR") ?? "./.cache/test-image";
    var exit = StartProcess("bash", new ProcessSettings { Arguments = $"scripts/make-test-image.sh {outDir}" });
    if (exit != 0)
        throw new Exception($"scripts/make-test-image.sh failed (exit {exit})");
});

Task("Bench").IsDependentOn("Build").Does(() =>
{
    var state = System.IO.Directory.CreateTempSubdirectory("cloudd-bench-").FullName;
    Information("bus, in-process:");
    DotNetExecute(cloudd, $"bench bus --state_path={state}");
    var amqp = EnvironmentVariable("CLOUD_TEST_AMQP");
    if (!string.IsNullOrEmpty(amqp))
    {
        var uri = new Uri(amqp);
        Information("bus, RabbitMQ on loopback:");
        DotNetExecute(cloudd, $"bench bus --state_path={state} --rabbit_host={uri.Host} --rabbit_port={uri.Port} --control_exchange=bench");
    }
    Information("cold start of all roles, SQLite + in-process bus:");
    DotNetExecute(cloudd, $"bench startup --state_path={state} --compute_driver=fake");
});

RunTarget(target);
