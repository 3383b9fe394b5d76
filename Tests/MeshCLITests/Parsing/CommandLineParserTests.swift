import MeshCLI
import Testing

@Suite struct CommandLineParserTests {
    let parser = FixtureTree.parser

    func parse(_ line: String) throws(UsageError) -> Invocation {
        try parser.parse(line.split(separator: " ").map(String.init))
    }

    func usageError(_ line: String) -> UsageError? {
        do {
            _ = try parse(line)
            return nil
        } catch {
            return error
        }
    }

    @Test func selectsNestedCommandsAndAliases() throws {
        #expect(try parse("pki rename a b").path.displayName == "tool pki rename")
        #expect(try parse("ap").path.displayName == "tool apply")
        #expect(try parse("").path.displayName == "tool")
    }

    @Test(arguments: [
        "apply --output json", "apply --output=json", "apply -o json", "apply -ojson", "apply -o=json",
        "--output json apply", "-o json apply",
    ])
    func readsValueSpellings(line: String) throws {
        let invocation = try parse(line)
        #expect(invocation.path.leaf.name == "apply")
        #expect(invocation.options.string(FixtureTree.output) == "json")
    }

    @Test func globalFlagsBeforeOrAfterTheSubcommand() throws {
        for line in ["-n prod apply", "apply -n prod", "--namespace=prod apply", "apply --namespace prod"] {
            #expect(try parse(line).options.string(FixtureTree.global) == "prod", "\(line)")
        }
        #expect(try parse("-i mesh pki rename a b").options.string(FixtureTree.mesh) == "mesh")
    }

    @Test func booleanFlags() throws {
        #expect(try parse("apply --dry-run").options.bool(FixtureTree.dryRun))
        #expect(try parse("apply --dry-run=true").options.bool(FixtureTree.dryRun))
        #expect(try !parse("apply --dry-run=false").options.bool(FixtureTree.dryRun))
        #expect(try !parse("apply").options.bool(FixtureTree.dryRun))
        #expect(try parse("apply --dry-run=false").options.isSet(FixtureTree.dryRun))
    }

    @Test func repeatableFlagsKeepEveryValueInOrder() throws {
        let invocation = try parse("apply -f a.yaml --filename b.yaml -fc.yaml --filename=d.yaml")
        #expect(invocation.options.strings(FixtureTree.file) == ["a.yaml", "b.yaml", "c.yaml", "d.yaml"])
    }

    @Test func singleValueFlagsKeepTheLastValue() throws {
        #expect(try parse("apply -o json -o yaml").options.string(FixtureTree.output) == "yaml")
    }

    @Test func countersCountAndTakeLevels() throws {
        #expect(try parse("apply -v").options.count(FixtureTree.verbose) == 1)
        #expect(try parse("apply -vvv").options.count(FixtureTree.verbose) == 3)
        #expect(try parse("apply -v --verbose").options.count(FixtureTree.verbose) == 2)
        #expect(try parse("apply -v=4").options.count(FixtureTree.verbose) == 4)
        #expect(try parse("apply --verbose=2").options.count(FixtureTree.verbose) == 2)
        #expect(try parse("apply").options.count(FixtureTree.verbose) == 0)
    }

    @Test func clustersOfShortFlagsEndWithAValue() throws {
        let invocation = try parse("apply -vvojson")
        #expect(invocation.options.count(FixtureTree.verbose) == 2)
        #expect(invocation.options.string(FixtureTree.output) == "json")
    }

    @Test func doubleDashEndsOptions() throws {
        let invocation = try parse("exec -- -v --output x")
        #expect(invocation.arguments == ["-v", "--output", "x"])
        #expect(invocation.options.count(FixtureTree.verbose) == 0)
    }

    @Test func loneDashIsAnArgument() throws {
        #expect(try parse("apply -").arguments == ["-"])
    }

    @Test func valuesMayLookLikeFlags() throws {
        #expect(try parse("apply -n -x").options.string(FixtureTree.global) == "-x")
        #expect(try parse("apply --namespace=").options.string(FixtureTree.global) == "")
    }

    @Test func aliasSpellingsAndDefaults() throws {
        #expect(try parse("apply --istioNamespace=mesh").options.string(FixtureTree.mesh) == "mesh")
        #expect(try parse("apply").options.string(FixtureTree.mesh) == "istio-system")
        #expect(try !parse("apply").options.isSet(FixtureTree.mesh))
    }

    @Test func ownOptionShadowsAnInheritedSpelling() throws {
        let invocation = try parse("pki rename -n x a b")
        #expect(invocation.options.string(FixtureTree.name) == "x")
        #expect(invocation.options.string(FixtureTree.global) == nil)
    }

    @Test func helpSkipsArgumentChecks() throws {
        let invocation = try parse("pki rename --help")
        #expect(invocation.helpRequested)
        #expect(try parse("pki rename -h").helpRequested)
    }

    @Test(arguments: [
        ("exce", "unknown command \"exce\" — did you mean \"exec\"?"),
        ("aply", "unknown command \"aply\" — did you mean \"apply\"?"),
        ("pki renme a b", "unknown command \"renme\" for \"tool pki\" — did you mean \"rename\"?"),
        ("zzzzzz", "unknown command \"zzzzzz\""),
        ("apply --ouput json", "unknown flag: --ouput — did you mean \"--output\"?"),
        ("apply --zzzzzz", "unknown flag: --zzzzzz"),
        ("apply -x", "unknown shorthand flag: 'x' in -x"),
        ("apply -vx", "unknown shorthand flag: 'x' in -vx"),
        ("apply --output", "flag needs an argument: --output"),
        ("apply -o", "flag needs an argument: 'o' in -o"),
        ("apply -o xml", "invalid argument \"xml\" for \"-o, --output\" flag: must be one of: json, yaml"),
        ("apply --dry-run=maybe", "invalid argument \"maybe\" for \"--dry-run\" flag: must be true or false"),
        ("apply --count=ten", "invalid argument \"ten\" for \"-c, --count\" flag: must be an integer"),
        ("apply -v=lots", "invalid argument \"lots\" for \"-v, --verbose\" flag: must be a non-negative integer"),
        (
            "apply --timeout=soon",
            "invalid argument \"soon\" for \"--timeout\" flag: must be a duration such as 30s, 5m or 1h (a bare number means seconds)"
        ),
        ("apply a b", "unexpected argument \"b\": \"tool apply\" takes at most 1 argument"),
        ("pki rename a", "missing argument NEW (new)"),
        ("pki shell fsh", "invalid SHELL \"fsh\" — did you mean \"zsh\"? (one of: bash, zsh)"),
        ("exec", "missing argument ARGS (args)"),
    ])
    func reportsTheOffendingArgument(line: String, message: String) throws {
        let error = try #require(usageError(line))
        #expect(error.message == message)
        #expect(error.exitCode == .usage)
    }

    @Test func errorsCarryTheCommandTheyHappenedIn() throws {
        let error = try #require(usageError("pki rename a"))
        #expect(error.commandPath == "tool pki rename")
        #expect(error.usage == "tool pki rename OLD NEW [flags]")
    }

    @Test func groupWithoutArgumentsTakesNoStrayWords() throws {
        let error = try #require(usageError("apply x y"))
        #expect(error.commandPath == "tool apply")
    }
}
