# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_lodger_global_optspecs
    string join \n root= runroot= h/help V/version
end

function __fish_lodger_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_lodger_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_lodger_using_subcommand
    set -l cmd (__fish_lodger_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c lodger -n "__fish_lodger_needs_command" -l root -d 'Path of the image store (default: $XDG_DATA_HOME/lodger)' -r -F
complete -c lodger -n "__fish_lodger_needs_command" -l runroot -d 'Path of the per-boot runtime state (default: $XDG_RUNTIME_DIR/lodger)' -r -F
complete -c lodger -n "__fish_lodger_needs_command" -s h -l help -d 'Print help'
complete -c lodger -n "__fish_lodger_needs_command" -s V -l version -d 'Print version'
complete -c lodger -n "__fish_lodger_needs_command" -f -a "run" -d 'Run a command in a new container'
complete -c lodger -n "__fish_lodger_needs_command" -f -a "create" -d 'Create a container without starting it'
complete -c lodger -n "__fish_lodger_needs_command" -f -a "start" -d 'Start a created or exited container'
complete -c lodger -n "__fish_lodger_needs_command" -f -a "ps" -d 'List containers'
complete -c lodger -n "__fish_lodger_needs_command" -f -a "rm" -d 'Remove containers'
complete -c lodger -n "__fish_lodger_needs_command" -f -a "port" -d 'List the published ports of a container'
complete -c lodger -n "__fish_lodger_needs_command" -f -a "logs" -d 'Fetch the output of a container'
complete -c lodger -n "__fish_lodger_needs_command" -f -a "stop" -d 'Stop running containers'
complete -c lodger -n "__fish_lodger_needs_command" -f -a "kill" -d 'Send a signal to running containers'
complete -c lodger -n "__fish_lodger_needs_command" -f -a "wait" -d 'Wait for containers to exit and print their exit codes'
complete -c lodger -n "__fish_lodger_needs_command" -f -a "restart" -d 'Restart containers'
complete -c lodger -n "__fish_lodger_needs_command" -f -a "exec" -d 'Run a command in a running container'
complete -c lodger -n "__fish_lodger_needs_command" -f -a "attach" -d 'Attach to a running container\'s input and output'
complete -c lodger -n "__fish_lodger_needs_command" -f -a "cp" -d 'Copy files between a container and the host'
complete -c lodger -n "__fish_lodger_needs_command" -f -a "diff" -d 'Inspect changes to a container\'s filesystem'
complete -c lodger -n "__fish_lodger_needs_command" -f -a "export" -d 'Export a container\'s filesystem as a tar archive'
complete -c lodger -n "__fish_lodger_needs_command" -f -a "commit" -d 'Create a new image from a container\'s changes'
complete -c lodger -n "__fish_lodger_needs_command" -f -a "import" -d 'Import a tarball as a new image'
complete -c lodger -n "__fish_lodger_needs_command" -f -a "top" -d 'Display the running processes of a container'
complete -c lodger -n "__fish_lodger_needs_command" -f -a "stats" -d 'Display the resource use of running containers (needs their own cgroups)'
complete -c lodger -n "__fish_lodger_needs_command" -f -a "pull" -d 'Pull an image from a registry'
complete -c lodger -n "__fish_lodger_needs_command" -f -a "push" -d 'Push an image to a registry'
complete -c lodger -n "__fish_lodger_needs_command" -f -a "login" -d 'Log in to a registry'
complete -c lodger -n "__fish_lodger_needs_command" -f -a "logout" -d 'Log out of a registry'
complete -c lodger -n "__fish_lodger_needs_command" -f -a "images" -d 'List images in local storage'
complete -c lodger -n "__fish_lodger_needs_command" -f -a "rmi" -d 'Remove one or more images from local storage'
complete -c lodger -n "__fish_lodger_needs_command" -f -a "tag" -d 'Add an additional name to a local image'
complete -c lodger -n "__fish_lodger_needs_command" -f -a "untag" -d 'Remove a name from a local image'
complete -c lodger -n "__fish_lodger_needs_command" -f -a "inspect" -d 'Display the configuration of containers, images or volumes'
complete -c lodger -n "__fish_lodger_needs_command" -f -a "history" -d 'Show the history of an image'
complete -c lodger -n "__fish_lodger_needs_command" -f -a "save" -d 'Save images to an archive or directory'
complete -c lodger -n "__fish_lodger_needs_command" -f -a "load" -d 'Load images from an archive or directory'
complete -c lodger -n "__fish_lodger_needs_command" -f -a "image" -d 'Manage images'
complete -c lodger -n "__fish_lodger_needs_command" -f -a "volume" -d 'Manage volumes'
complete -c lodger -n "__fish_lodger_needs_command" -f -a "container" -d 'Manage containers'
complete -c lodger -n "__fish_lodger_needs_command" -f -a "rename" -d 'Rename a container'
complete -c lodger -n "__fish_lodger_needs_command" -f -a "info" -d 'Display lodger\'s system information and what this machine supports'
complete -c lodger -n "__fish_lodger_needs_command" -f -a "version" -d 'Display the lodger version information'
complete -c lodger -n "__fish_lodger_needs_command" -f -a "completion" -d 'Generate shell completions'
complete -c lodger -n "__fish_lodger_needs_command" -f -a "generate-man" -d 'Write the man pages (used to regenerate man/)'
complete -c lodger -n "__fish_lodger_using_subcommand run" -l detach-keys -d 'Keys that detach from a container run with -i and -t, leaving it running (default ctrl-p,ctrl-q; "" disables)' -r
complete -c lodger -n "__fish_lodger_using_subcommand run" -l name -d 'Assign a name to the container' -r
complete -c lodger -n "__fish_lodger_using_subcommand run" -s e -l env -d 'Set environment variables (KEY=VALUE, KEY from lodger\'s environment, or PREFIX*)' -r
complete -c lodger -n "__fish_lodger_using_subcommand run" -l env-file -d 'Read environment variables from a file' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand run" -s w -l workdir -d 'Working directory inside the container' -r
complete -c lodger -n "__fish_lodger_using_subcommand run" -s u -l user -d 'User (and group) to run as: NAME|UID[:GROUP|GID]' -r
complete -c lodger -n "__fish_lodger_using_subcommand run" -l group-add -d 'Additional groups for the process' -r
complete -c lodger -n "__fish_lodger_using_subcommand run" -l entrypoint -d 'Override the image\'s entrypoint (a string or a JSON array)' -r
complete -c lodger -n "__fish_lodger_using_subcommand run" -s h -l hostname -d 'Container hostname (default: the first 12 characters of its id)' -r
complete -c lodger -n "__fish_lodger_using_subcommand run" -l tmpfs -d 'Mount a tmpfs: DIR[:OPTIONS]' -r
complete -c lodger -n "__fish_lodger_using_subcommand run" -s v -l volume -d 'Mount a volume or host path: [NAME|/HOST/PATH:]/CONTAINER/PATH[:ro|rw][,U][,z|Z]' -r
complete -c lodger -n "__fish_lodger_using_subcommand run" -l mount -d 'Attach a mount: type=bind|volume|tmpfs,source=,target=[,readonly]' -r
complete -c lodger -n "__fish_lodger_using_subcommand run" -l volumes-from -d 'Mount the volumes of another container: CONTAINER[:ro|rw]' -r
complete -c lodger -n "__fish_lodger_using_subcommand run" -l pull -d 'When to pull the image: missing, always, never, newer' -r
complete -c lodger -n "__fish_lodger_using_subcommand run" -l userns -d 'User namespace: keep-id, host (the rootless default), or empty' -r
complete -c lodger -n "__fish_lodger_using_subcommand run" -l network -l net -d 'Network mode: pasta[:OPTIONS], slirp4netns[:OPTIONS], none, host, container:NAME, ns:PATH (default: pasta, else slirp4netns)' -r
complete -c lodger -n "__fish_lodger_using_subcommand run" -s p -l publish -d 'Publish a container\'s port to the host: [IP:][HOSTPORT:]CONTAINERPORT[/PROTOCOL]' -r
complete -c lodger -n "__fish_lodger_using_subcommand run" -l dns -d 'Set a DNS server' -r
complete -c lodger -n "__fish_lodger_using_subcommand run" -l dns-search -d 'Set a DNS search domain' -r
complete -c lodger -n "__fish_lodger_using_subcommand run" -l dns-option -d 'Set a DNS option' -r
complete -c lodger -n "__fish_lodger_using_subcommand run" -l add-host -d 'Add a custom host-to-IP mapping: HOST:IP' -r
complete -c lodger -n "__fish_lodger_using_subcommand run" -l cap-add -d 'Add Linux capabilities' -r
complete -c lodger -n "__fish_lodger_using_subcommand run" -l cap-drop -d 'Drop Linux capabilities' -r
complete -c lodger -n "__fish_lodger_using_subcommand run" -s l -l label -d 'Set metadata: KEY=VALUE' -r
complete -c lodger -n "__fish_lodger_using_subcommand run" -l annotation -d 'Add an annotation to the container: KEY=VALUE' -r
complete -c lodger -n "__fish_lodger_using_subcommand run" -l restart -d 'Restart policy: no, on-failure[:MAX], always, unless-stopped' -r
complete -c lodger -n "__fish_lodger_using_subcommand run" -l stop-signal -d 'Signal that stops the container (default SIGTERM)' -r
complete -c lodger -n "__fish_lodger_using_subcommand run" -l stop-timeout -d 'Seconds to wait for the stop signal before SIGKILL (default 10)' -r
complete -c lodger -n "__fish_lodger_using_subcommand run" -l log-driver -d 'Where the output of a detached container goes: k8s-file, none or passthrough' -r
complete -c lodger -n "__fish_lodger_using_subcommand run" -l log-opt -d 'Logging option: max-size=SIZE, path=FILE, tag=TAG' -r
complete -c lodger -n "__fish_lodger_using_subcommand run" -l cidfile -d 'Write the container\'s ID to FILE (which must not exist); removed with the container' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand run" -l sdnotify -d 'What $NOTIFY_SOCKET of a systemd Type=notify unit is told: conmon (READY=1 once the container runs, its monitor as MAINPID), container (the container says READY=1 itself) or ignore' -r
complete -c lodger -n "__fish_lodger_using_subcommand run" -l cgroups -d 'The container\'s cgroup: enabled, no-conmon and split (one of its own, below a delegated cgroup v2 lodger runs in), or disabled (none)' -r
complete -c lodger -n "__fish_lodger_using_subcommand run" -s m -l memory -d 'Memory limit (e.g. 512m, 1g; at least 6m); needs a delegated cgroup v2 subtree' -r
complete -c lodger -n "__fish_lodger_using_subcommand run" -l memory-swap -d 'Memory plus swap limit (-1: unlimited swap; default: as much swap as --memory)' -r
complete -c lodger -n "__fish_lodger_using_subcommand run" -l cpus -d 'CPUs the container may use (e.g. 0.5, 2)' -r
complete -c lodger -n "__fish_lodger_using_subcommand run" -s c -l cpu-shares -d 'CPU shares, relative weight (default 1024)' -r
complete -c lodger -n "__fish_lodger_using_subcommand run" -l pids-limit -d 'Most processes the container may have (-1: no limit)' -r
complete -c lodger -n "__fish_lodger_using_subcommand run" -l platform -d 'Choose OS/ARCH[/VARIANT] from a manifest list' -r
complete -c lodger -n "__fish_lodger_using_subcommand run" -l arch -d 'Use ARCH instead of the architecture of the machine' -r
complete -c lodger -n "__fish_lodger_using_subcommand run" -l os -d 'Use OS instead of the running OS' -r
complete -c lodger -n "__fish_lodger_using_subcommand run" -l variant -d 'Use VARIANT instead of the default architecture variant' -r
complete -c lodger -n "__fish_lodger_using_subcommand run" -l tls-verify -d 'Require HTTPS and verify certificates when contacting registries' -r -f -a "true\t''
false\t''"
complete -c lodger -n "__fish_lodger_using_subcommand run" -l authfile -d 'Path of the authentication file' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand run" -l creds -d 'Credentials (USERNAME[:PASSWORD]) to use for the registry' -r
complete -c lodger -n "__fish_lodger_using_subcommand run" -l cert-dir -d 'Directory with certificates (*.crt, *.cert, *.key) for the registry' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand run" -l root -d 'Path of the image store (default: $XDG_DATA_HOME/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand run" -l runroot -d 'Path of the per-boot runtime state (default: $XDG_RUNTIME_DIR/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand run" -s d -l detach -d 'Run the container in the background and print its ID'
complete -c lodger -n "__fish_lodger_using_subcommand run" -l env-host -d 'Use all of lodger\'s environment in the container'
complete -c lodger -n "__fish_lodger_using_subcommand run" -l init -d 'Run an init inside the container that forwards signals and reaps processes'
complete -c lodger -n "__fish_lodger_using_subcommand run" -l read-only -d 'Make the container\'s root filesystem read-only'
complete -c lodger -n "__fish_lodger_using_subcommand run" -s P -l publish-all -d 'Publish every exposed port of the image on a free host port'
complete -c lodger -n "__fish_lodger_using_subcommand run" -l no-hosts -d 'Do not create /etc/hosts for the container'
complete -c lodger -n "__fish_lodger_using_subcommand run" -l rm -d 'Remove the container when it exits'
complete -c lodger -n "__fish_lodger_using_subcommand run" -s i -l interactive -d 'Keep stdin open'
complete -c lodger -n "__fish_lodger_using_subcommand run" -s t -l tty -d 'Allocate a pseudo-terminal'
complete -c lodger -n "__fish_lodger_using_subcommand run" -l replace -d 'Remove a container of the same --name first, even a running one'
complete -c lodger -n "__fish_lodger_using_subcommand run" -l help -d 'Print usage'
complete -c lodger -n "__fish_lodger_using_subcommand run" -s V -l version -d 'Print version'
complete -c lodger -n "__fish_lodger_using_subcommand create" -l name -d 'Assign a name to the container' -r
complete -c lodger -n "__fish_lodger_using_subcommand create" -s e -l env -d 'Set environment variables (KEY=VALUE, KEY from lodger\'s environment, or PREFIX*)' -r
complete -c lodger -n "__fish_lodger_using_subcommand create" -l env-file -d 'Read environment variables from a file' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand create" -s w -l workdir -d 'Working directory inside the container' -r
complete -c lodger -n "__fish_lodger_using_subcommand create" -s u -l user -d 'User (and group) to run as: NAME|UID[:GROUP|GID]' -r
complete -c lodger -n "__fish_lodger_using_subcommand create" -l group-add -d 'Additional groups for the process' -r
complete -c lodger -n "__fish_lodger_using_subcommand create" -l entrypoint -d 'Override the image\'s entrypoint (a string or a JSON array)' -r
complete -c lodger -n "__fish_lodger_using_subcommand create" -s h -l hostname -d 'Container hostname (default: the first 12 characters of its id)' -r
complete -c lodger -n "__fish_lodger_using_subcommand create" -l tmpfs -d 'Mount a tmpfs: DIR[:OPTIONS]' -r
complete -c lodger -n "__fish_lodger_using_subcommand create" -s v -l volume -d 'Mount a volume or host path: [NAME|/HOST/PATH:]/CONTAINER/PATH[:ro|rw][,U][,z|Z]' -r
complete -c lodger -n "__fish_lodger_using_subcommand create" -l mount -d 'Attach a mount: type=bind|volume|tmpfs,source=,target=[,readonly]' -r
complete -c lodger -n "__fish_lodger_using_subcommand create" -l volumes-from -d 'Mount the volumes of another container: CONTAINER[:ro|rw]' -r
complete -c lodger -n "__fish_lodger_using_subcommand create" -l pull -d 'When to pull the image: missing, always, never, newer' -r
complete -c lodger -n "__fish_lodger_using_subcommand create" -l userns -d 'User namespace: keep-id, host (the rootless default), or empty' -r
complete -c lodger -n "__fish_lodger_using_subcommand create" -l network -l net -d 'Network mode: pasta[:OPTIONS], slirp4netns[:OPTIONS], none, host, container:NAME, ns:PATH (default: pasta, else slirp4netns)' -r
complete -c lodger -n "__fish_lodger_using_subcommand create" -s p -l publish -d 'Publish a container\'s port to the host: [IP:][HOSTPORT:]CONTAINERPORT[/PROTOCOL]' -r
complete -c lodger -n "__fish_lodger_using_subcommand create" -l dns -d 'Set a DNS server' -r
complete -c lodger -n "__fish_lodger_using_subcommand create" -l dns-search -d 'Set a DNS search domain' -r
complete -c lodger -n "__fish_lodger_using_subcommand create" -l dns-option -d 'Set a DNS option' -r
complete -c lodger -n "__fish_lodger_using_subcommand create" -l add-host -d 'Add a custom host-to-IP mapping: HOST:IP' -r
complete -c lodger -n "__fish_lodger_using_subcommand create" -l cap-add -d 'Add Linux capabilities' -r
complete -c lodger -n "__fish_lodger_using_subcommand create" -l cap-drop -d 'Drop Linux capabilities' -r
complete -c lodger -n "__fish_lodger_using_subcommand create" -s l -l label -d 'Set metadata: KEY=VALUE' -r
complete -c lodger -n "__fish_lodger_using_subcommand create" -l annotation -d 'Add an annotation to the container: KEY=VALUE' -r
complete -c lodger -n "__fish_lodger_using_subcommand create" -l restart -d 'Restart policy: no, on-failure[:MAX], always, unless-stopped' -r
complete -c lodger -n "__fish_lodger_using_subcommand create" -l stop-signal -d 'Signal that stops the container (default SIGTERM)' -r
complete -c lodger -n "__fish_lodger_using_subcommand create" -l stop-timeout -d 'Seconds to wait for the stop signal before SIGKILL (default 10)' -r
complete -c lodger -n "__fish_lodger_using_subcommand create" -l log-driver -d 'Where the output of a detached container goes: k8s-file, none or passthrough' -r
complete -c lodger -n "__fish_lodger_using_subcommand create" -l log-opt -d 'Logging option: max-size=SIZE, path=FILE, tag=TAG' -r
complete -c lodger -n "__fish_lodger_using_subcommand create" -l cidfile -d 'Write the container\'s ID to FILE (which must not exist); removed with the container' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand create" -l sdnotify -d 'What $NOTIFY_SOCKET of a systemd Type=notify unit is told: conmon (READY=1 once the container runs, its monitor as MAINPID), container (the container says READY=1 itself) or ignore' -r
complete -c lodger -n "__fish_lodger_using_subcommand create" -l cgroups -d 'The container\'s cgroup: enabled, no-conmon and split (one of its own, below a delegated cgroup v2 lodger runs in), or disabled (none)' -r
complete -c lodger -n "__fish_lodger_using_subcommand create" -s m -l memory -d 'Memory limit (e.g. 512m, 1g; at least 6m); needs a delegated cgroup v2 subtree' -r
complete -c lodger -n "__fish_lodger_using_subcommand create" -l memory-swap -d 'Memory plus swap limit (-1: unlimited swap; default: as much swap as --memory)' -r
complete -c lodger -n "__fish_lodger_using_subcommand create" -l cpus -d 'CPUs the container may use (e.g. 0.5, 2)' -r
complete -c lodger -n "__fish_lodger_using_subcommand create" -s c -l cpu-shares -d 'CPU shares, relative weight (default 1024)' -r
complete -c lodger -n "__fish_lodger_using_subcommand create" -l pids-limit -d 'Most processes the container may have (-1: no limit)' -r
complete -c lodger -n "__fish_lodger_using_subcommand create" -l platform -d 'Choose OS/ARCH[/VARIANT] from a manifest list' -r
complete -c lodger -n "__fish_lodger_using_subcommand create" -l arch -d 'Use ARCH instead of the architecture of the machine' -r
complete -c lodger -n "__fish_lodger_using_subcommand create" -l os -d 'Use OS instead of the running OS' -r
complete -c lodger -n "__fish_lodger_using_subcommand create" -l variant -d 'Use VARIANT instead of the default architecture variant' -r
complete -c lodger -n "__fish_lodger_using_subcommand create" -l tls-verify -d 'Require HTTPS and verify certificates when contacting registries' -r -f -a "true\t''
false\t''"
complete -c lodger -n "__fish_lodger_using_subcommand create" -l authfile -d 'Path of the authentication file' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand create" -l creds -d 'Credentials (USERNAME[:PASSWORD]) to use for the registry' -r
complete -c lodger -n "__fish_lodger_using_subcommand create" -l cert-dir -d 'Directory with certificates (*.crt, *.cert, *.key) for the registry' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand create" -l root -d 'Path of the image store (default: $XDG_DATA_HOME/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand create" -l runroot -d 'Path of the per-boot runtime state (default: $XDG_RUNTIME_DIR/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand create" -l env-host -d 'Use all of lodger\'s environment in the container'
complete -c lodger -n "__fish_lodger_using_subcommand create" -l init -d 'Run an init inside the container that forwards signals and reaps processes'
complete -c lodger -n "__fish_lodger_using_subcommand create" -l read-only -d 'Make the container\'s root filesystem read-only'
complete -c lodger -n "__fish_lodger_using_subcommand create" -s P -l publish-all -d 'Publish every exposed port of the image on a free host port'
complete -c lodger -n "__fish_lodger_using_subcommand create" -l no-hosts -d 'Do not create /etc/hosts for the container'
complete -c lodger -n "__fish_lodger_using_subcommand create" -l rm -d 'Remove the container when it exits'
complete -c lodger -n "__fish_lodger_using_subcommand create" -s i -l interactive -d 'Keep stdin open'
complete -c lodger -n "__fish_lodger_using_subcommand create" -s t -l tty -d 'Allocate a pseudo-terminal'
complete -c lodger -n "__fish_lodger_using_subcommand create" -l replace -d 'Remove a container of the same --name first, even a running one'
complete -c lodger -n "__fish_lodger_using_subcommand create" -l help -d 'Print usage'
complete -c lodger -n "__fish_lodger_using_subcommand create" -s V -l version -d 'Print version'
complete -c lodger -n "__fish_lodger_using_subcommand start" -l detach-keys -d 'Keys that detach from a container created with -i and -t, started with -a -i, leaving it running (default ctrl-p,ctrl-q; "" disables)' -r
complete -c lodger -n "__fish_lodger_using_subcommand start" -l root -d 'Path of the image store (default: $XDG_DATA_HOME/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand start" -l runroot -d 'Path of the per-boot runtime state (default: $XDG_RUNTIME_DIR/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand start" -s a -l attach -d 'Attach to the container\'s output and wait for it to exit'
complete -c lodger -n "__fish_lodger_using_subcommand start" -s i -l interactive -d 'Keep stdin open (with --attach)'
complete -c lodger -n "__fish_lodger_using_subcommand start" -s h -l help -d 'Print help'
complete -c lodger -n "__fish_lodger_using_subcommand start" -s V -l version -d 'Print version'
complete -c lodger -n "__fish_lodger_using_subcommand ps" -l format -d 'Output format: json or a Go template such as {{.ID}} {{.Names}}' -r
complete -c lodger -n "__fish_lodger_using_subcommand ps" -s f -l filter -d 'Filter: status=, name=, id=, label=KEY[=VALUE], ancestor=, exited=' -r
complete -c lodger -n "__fish_lodger_using_subcommand ps" -s n -l last -d 'Show the N last created containers (all states)' -r
complete -c lodger -n "__fish_lodger_using_subcommand ps" -l root -d 'Path of the image store (default: $XDG_DATA_HOME/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand ps" -l runroot -d 'Path of the per-boot runtime state (default: $XDG_RUNTIME_DIR/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand ps" -s a -l all -d 'Show all containers, not only running ones'
complete -c lodger -n "__fish_lodger_using_subcommand ps" -s q -l quiet -d 'Print only the container IDs'
complete -c lodger -n "__fish_lodger_using_subcommand ps" -l no-trunc -d 'Do not truncate the output'
complete -c lodger -n "__fish_lodger_using_subcommand ps" -l noheading -d 'Do not print column headings'
complete -c lodger -n "__fish_lodger_using_subcommand ps" -s l -l latest -d 'Show the last created container (all states)'
complete -c lodger -n "__fish_lodger_using_subcommand ps" -s s -l size -d 'Show the size of the writable layer and of the image'
complete -c lodger -n "__fish_lodger_using_subcommand ps" -s h -l help -d 'Print help'
complete -c lodger -n "__fish_lodger_using_subcommand ps" -s V -l version -d 'Print version'
complete -c lodger -n "__fish_lodger_using_subcommand rm" -l cidfile -d 'Read the container\'s ID from FILE (as written by run --cidfile)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand rm" -s t -l time -d 'With --force, seconds a running container gets its stop signal before SIGKILL (default: SIGKILL at once)' -r
complete -c lodger -n "__fish_lodger_using_subcommand rm" -l root -d 'Path of the image store (default: $XDG_DATA_HOME/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand rm" -l runroot -d 'Path of the per-boot runtime state (default: $XDG_RUNTIME_DIR/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand rm" -s a -l all -d 'Remove all containers'
complete -c lodger -n "__fish_lodger_using_subcommand rm" -s f -l force -d 'Kill running containers first'
complete -c lodger -n "__fish_lodger_using_subcommand rm" -s i -l ignore -d 'Ignore containers that do not exist'
complete -c lodger -n "__fish_lodger_using_subcommand rm" -s v -l volumes -d 'Remove the anonymous volumes of the containers'
complete -c lodger -n "__fish_lodger_using_subcommand rm" -l depend -d 'Also remove the containers that depend on these (implied by --all)'
complete -c lodger -n "__fish_lodger_using_subcommand rm" -s h -l help -d 'Print help'
complete -c lodger -n "__fish_lodger_using_subcommand rm" -s V -l version -d 'Print version'
complete -c lodger -n "__fish_lodger_using_subcommand port" -l root -d 'Path of the image store (default: $XDG_DATA_HOME/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand port" -l runroot -d 'Path of the per-boot runtime state (default: $XDG_RUNTIME_DIR/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand port" -s h -l help -d 'Print help'
complete -c lodger -n "__fish_lodger_using_subcommand port" -s V -l version -d 'Print version'
complete -c lodger -n "__fish_lodger_using_subcommand logs" -s n -l tail -d 'Print only the last N lines' -r
complete -c lodger -n "__fish_lodger_using_subcommand logs" -l since -d 'Only output since this time (RFC 3339, Unix seconds, or a duration such as 10m)' -r
complete -c lodger -n "__fish_lodger_using_subcommand logs" -l until -d 'Only output until this time (same forms as --since)' -r
complete -c lodger -n "__fish_lodger_using_subcommand logs" -l root -d 'Path of the image store (default: $XDG_DATA_HOME/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand logs" -l runroot -d 'Path of the per-boot runtime state (default: $XDG_RUNTIME_DIR/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand logs" -s f -l follow -d 'Keep printing new output until the container exits'
complete -c lodger -n "__fish_lodger_using_subcommand logs" -s t -l timestamps -d 'Prefix each line with its time'
complete -c lodger -n "__fish_lodger_using_subcommand logs" -s h -l help -d 'Print help'
complete -c lodger -n "__fish_lodger_using_subcommand logs" -s V -l version -d 'Print version'
complete -c lodger -n "__fish_lodger_using_subcommand stop" -s t -l time -d 'Seconds to wait before killing the container' -r
complete -c lodger -n "__fish_lodger_using_subcommand stop" -l cidfile -d 'Read the container\'s ID from FILE (as written by run --cidfile)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand stop" -l root -d 'Path of the image store (default: $XDG_DATA_HOME/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand stop" -l runroot -d 'Path of the per-boot runtime state (default: $XDG_RUNTIME_DIR/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand stop" -s a -l all -d 'Stop all running containers'
complete -c lodger -n "__fish_lodger_using_subcommand stop" -s i -l ignore -d 'Ignore containers that do not exist (and --cidfile files that do not)'
complete -c lodger -n "__fish_lodger_using_subcommand stop" -s h -l help -d 'Print help'
complete -c lodger -n "__fish_lodger_using_subcommand stop" -s V -l version -d 'Print version'
complete -c lodger -n "__fish_lodger_using_subcommand kill" -s s -l signal -d 'Signal to send' -r
complete -c lodger -n "__fish_lodger_using_subcommand kill" -l cidfile -d 'Read the container\'s ID from FILE (as written by run --cidfile)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand kill" -l root -d 'Path of the image store (default: $XDG_DATA_HOME/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand kill" -l runroot -d 'Path of the per-boot runtime state (default: $XDG_RUNTIME_DIR/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand kill" -s a -l all -d 'Signal all running containers'
complete -c lodger -n "__fish_lodger_using_subcommand kill" -s h -l help -d 'Print help'
complete -c lodger -n "__fish_lodger_using_subcommand kill" -s V -l version -d 'Print version'
complete -c lodger -n "__fish_lodger_using_subcommand wait" -l condition -d 'State to wait for: stopped or exited (the default), running, created, removing; several match when any does' -r
complete -c lodger -n "__fish_lodger_using_subcommand wait" -s i -l interval -d 'How often to check the state (a duration such as 250ms or 2s; a bare number is ms)' -r
complete -c lodger -n "__fish_lodger_using_subcommand wait" -l root -d 'Path of the image store (default: $XDG_DATA_HOME/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand wait" -l runroot -d 'Path of the per-boot runtime state (default: $XDG_RUNTIME_DIR/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand wait" -l ignore -d 'Print -1 for containers that do not exist instead of failing'
complete -c lodger -n "__fish_lodger_using_subcommand wait" -s l -l latest -d 'Wait for the last created container'
complete -c lodger -n "__fish_lodger_using_subcommand wait" -l exit-first-match -d 'Return when the first of the containers meets a condition, with its code only'
complete -c lodger -n "__fish_lodger_using_subcommand wait" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c lodger -n "__fish_lodger_using_subcommand wait" -s V -l version -d 'Print version'
complete -c lodger -n "__fish_lodger_using_subcommand restart" -s t -l time -d 'Seconds to wait before killing the container' -r
complete -c lodger -n "__fish_lodger_using_subcommand restart" -l cidfile -d 'Read the container\'s ID from FILE (as written by run --cidfile)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand restart" -l root -d 'Path of the image store (default: $XDG_DATA_HOME/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand restart" -l runroot -d 'Path of the per-boot runtime state (default: $XDG_RUNTIME_DIR/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand restart" -s a -l all -d 'Restart all containers'
complete -c lodger -n "__fish_lodger_using_subcommand restart" -s h -l help -d 'Print help'
complete -c lodger -n "__fish_lodger_using_subcommand restart" -s V -l version -d 'Print version'
complete -c lodger -n "__fish_lodger_using_subcommand exec" -s u -l user -d 'User (and group) to run as: NAME|UID[:GROUP|GID]' -r
complete -c lodger -n "__fish_lodger_using_subcommand exec" -s e -l env -d 'Set environment variables (KEY=VALUE, or KEY from lodger\'s environment)' -r
complete -c lodger -n "__fish_lodger_using_subcommand exec" -l env-file -d 'Read environment variables from a file' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand exec" -s w -l workdir -d 'Working directory inside the container' -r
complete -c lodger -n "__fish_lodger_using_subcommand exec" -l detach-keys -d 'Key sequence for detaching (accepted for Podman compatibility; lodger\'s exec does not detach from a terminal)' -r
complete -c lodger -n "__fish_lodger_using_subcommand exec" -l root -d 'Path of the image store (default: $XDG_DATA_HOME/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand exec" -l runroot -d 'Path of the per-boot runtime state (default: $XDG_RUNTIME_DIR/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand exec" -s i -l interactive -d 'Keep stdin open'
complete -c lodger -n "__fish_lodger_using_subcommand exec" -s t -l tty -d 'Allocate a pseudo-terminal'
complete -c lodger -n "__fish_lodger_using_subcommand exec" -s d -l detach -d 'Run the command in the background, its output discarded, and print a session ID'
complete -c lodger -n "__fish_lodger_using_subcommand exec" -l privileged -d 'Give the command all capabilities of the container\'s user namespace'
complete -c lodger -n "__fish_lodger_using_subcommand exec" -s h -l help -d 'Print help'
complete -c lodger -n "__fish_lodger_using_subcommand exec" -s V -l version -d 'Print version'
complete -c lodger -n "__fish_lodger_using_subcommand attach" -l detach-keys -d 'Keys that detach: a comma-separated list of characters and ctrl-X ("" for none)' -r
complete -c lodger -n "__fish_lodger_using_subcommand attach" -l sig-proxy -d 'Pass the signals lodger receives on to the container' -r -f -a "true\t''
false\t''"
complete -c lodger -n "__fish_lodger_using_subcommand attach" -l root -d 'Path of the image store (default: $XDG_DATA_HOME/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand attach" -l runroot -d 'Path of the per-boot runtime state (default: $XDG_RUNTIME_DIR/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand attach" -l no-stdin -d 'Do not attach stdin'
complete -c lodger -n "__fish_lodger_using_subcommand attach" -s h -l help -d 'Print help'
complete -c lodger -n "__fish_lodger_using_subcommand attach" -s V -l version -d 'Print version'
complete -c lodger -n "__fish_lodger_using_subcommand cp" -s a -l archive -d 'Files belong to the container\'s root user rather than keeping the owners of the source (`--archive=false` keeps them)' -r -f -a "true\t''
false\t''"
complete -c lodger -n "__fish_lodger_using_subcommand cp" -l root -d 'Path of the image store (default: $XDG_DATA_HOME/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand cp" -l runroot -d 'Path of the per-boot runtime state (default: $XDG_RUNTIME_DIR/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand cp" -l overwrite -d 'Accepted for compatibility: a directory may always replace a file and the reverse is refused'
complete -c lodger -n "__fish_lodger_using_subcommand cp" -s h -l help -d 'Print help'
complete -c lodger -n "__fish_lodger_using_subcommand cp" -s V -l version -d 'Print version'
complete -c lodger -n "__fish_lodger_using_subcommand diff" -l format -d 'Output format: json' -r
complete -c lodger -n "__fish_lodger_using_subcommand diff" -l root -d 'Path of the image store (default: $XDG_DATA_HOME/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand diff" -l runroot -d 'Path of the per-boot runtime state (default: $XDG_RUNTIME_DIR/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand diff" -s h -l help -d 'Print help'
complete -c lodger -n "__fish_lodger_using_subcommand diff" -s V -l version -d 'Print version'
complete -c lodger -n "__fish_lodger_using_subcommand export" -s o -l output -d 'Write to this file instead of stdout' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand export" -l root -d 'Path of the image store (default: $XDG_DATA_HOME/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand export" -l runroot -d 'Path of the per-boot runtime state (default: $XDG_RUNTIME_DIR/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand export" -s h -l help -d 'Print help'
complete -c lodger -n "__fish_lodger_using_subcommand export" -s V -l version -d 'Print version'
complete -c lodger -n "__fish_lodger_using_subcommand commit" -s c -l change -d 'Dockerfile instruction to apply to the image (CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, STOPSIGNAL, USER, VOLUME, WORKDIR)' -r
complete -c lodger -n "__fish_lodger_using_subcommand commit" -s m -l message -d 'Commit message, recorded in the image\'s history' -r
complete -c lodger -n "__fish_lodger_using_subcommand commit" -s a -l author -d 'Author of the image' -r
complete -c lodger -n "__fish_lodger_using_subcommand commit" -s p -l pause -d 'Accepted for compatibility: the writable layer is read as it is' -r -f -a "true\t''
false\t''"
complete -c lodger -n "__fish_lodger_using_subcommand commit" -l root -d 'Path of the image store (default: $XDG_DATA_HOME/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand commit" -l runroot -d 'Path of the per-boot runtime state (default: $XDG_RUNTIME_DIR/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand commit" -s q -l quiet -d 'Print only the image id'
complete -c lodger -n "__fish_lodger_using_subcommand commit" -s h -l help -d 'Print help'
complete -c lodger -n "__fish_lodger_using_subcommand commit" -s V -l version -d 'Print version'
complete -c lodger -n "__fish_lodger_using_subcommand import" -s c -l change -d 'Dockerfile instruction to apply to the image (CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, STOPSIGNAL, USER, VOLUME, WORKDIR)' -r
complete -c lodger -n "__fish_lodger_using_subcommand import" -s m -l message -d 'Commit message, recorded in the image\'s history' -r
complete -c lodger -n "__fish_lodger_using_subcommand import" -l root -d 'Path of the image store (default: $XDG_DATA_HOME/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand import" -l runroot -d 'Path of the per-boot runtime state (default: $XDG_RUNTIME_DIR/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand import" -s q -l quiet -d 'Print only the image id'
complete -c lodger -n "__fish_lodger_using_subcommand import" -s h -l help -d 'Print help'
complete -c lodger -n "__fish_lodger_using_subcommand import" -s V -l version -d 'Print version'
complete -c lodger -n "__fish_lodger_using_subcommand top" -l root -d 'Path of the image store (default: $XDG_DATA_HOME/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand top" -l runroot -d 'Path of the per-boot runtime state (default: $XDG_RUNTIME_DIR/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand top" -s h -l help -d 'Print help'
complete -c lodger -n "__fish_lodger_using_subcommand top" -s V -l version -d 'Print version'
complete -c lodger -n "__fish_lodger_using_subcommand stats" -s i -l interval -d 'Seconds between readings when streaming' -r
complete -c lodger -n "__fish_lodger_using_subcommand stats" -l format -d 'Format the output: json or a Go template' -r
complete -c lodger -n "__fish_lodger_using_subcommand stats" -l root -d 'Path of the image store (default: $XDG_DATA_HOME/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand stats" -l runroot -d 'Path of the per-boot runtime state (default: $XDG_RUNTIME_DIR/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand stats" -s a -l all -d 'Show every container, the stopped ones with no figures'
complete -c lodger -n "__fish_lodger_using_subcommand stats" -l no-stream -d 'Print one reading and exit'
complete -c lodger -n "__fish_lodger_using_subcommand stats" -l no-trunc -d 'Do not truncate IDs'
complete -c lodger -n "__fish_lodger_using_subcommand stats" -s h -l help -d 'Print help'
complete -c lodger -n "__fish_lodger_using_subcommand stats" -s V -l version -d 'Print version'
complete -c lodger -n "__fish_lodger_using_subcommand pull" -l platform -d 'Choose OS/ARCH[/VARIANT] from a manifest list' -r
complete -c lodger -n "__fish_lodger_using_subcommand pull" -l arch -d 'Use ARCH instead of the architecture of the machine' -r
complete -c lodger -n "__fish_lodger_using_subcommand pull" -l os -d 'Use OS instead of the running OS' -r
complete -c lodger -n "__fish_lodger_using_subcommand pull" -l variant -d 'Use VARIANT instead of the default architecture variant' -r
complete -c lodger -n "__fish_lodger_using_subcommand pull" -l policy -d 'When to pull: always, missing, never, newer' -r
complete -c lodger -n "__fish_lodger_using_subcommand pull" -l tls-verify -d 'Require HTTPS and verify certificates when contacting registries' -r -f -a "true\t''
false\t''"
complete -c lodger -n "__fish_lodger_using_subcommand pull" -l authfile -d 'Path of the authentication file' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand pull" -l creds -d 'Credentials (USERNAME[:PASSWORD]) to use for the registry' -r
complete -c lodger -n "__fish_lodger_using_subcommand pull" -l cert-dir -d 'Directory with certificates (*.crt, *.cert, *.key) for the registry' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand pull" -l root -d 'Path of the image store (default: $XDG_DATA_HOME/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand pull" -l runroot -d 'Path of the per-boot runtime state (default: $XDG_RUNTIME_DIR/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand pull" -s q -l quiet -d 'Suppress output information when pulling images'
complete -c lodger -n "__fish_lodger_using_subcommand pull" -s h -l help -d 'Print help'
complete -c lodger -n "__fish_lodger_using_subcommand pull" -s V -l version -d 'Print version'
complete -c lodger -n "__fish_lodger_using_subcommand push" -s f -l format -d 'Manifest type to push: oci or v2s2 (default: as stored)' -r
complete -c lodger -n "__fish_lodger_using_subcommand push" -l digestfile -d 'Write the digest of the pushed manifest to this file' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand push" -l tls-verify -d 'Require HTTPS and verify certificates when contacting registries' -r -f -a "true\t''
false\t''"
complete -c lodger -n "__fish_lodger_using_subcommand push" -l authfile -d 'Path of the authentication file' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand push" -l creds -d 'Credentials (USERNAME[:PASSWORD]) to use for the registry' -r
complete -c lodger -n "__fish_lodger_using_subcommand push" -l cert-dir -d 'Directory with certificates (*.crt, *.cert, *.key) for the registry' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand push" -l root -d 'Path of the image store (default: $XDG_DATA_HOME/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand push" -l runroot -d 'Path of the per-boot runtime state (default: $XDG_RUNTIME_DIR/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand push" -s q -l quiet -d 'Suppress output information when pushing images'
complete -c lodger -n "__fish_lodger_using_subcommand push" -s h -l help -d 'Print help'
complete -c lodger -n "__fish_lodger_using_subcommand push" -s V -l version -d 'Print version'
complete -c lodger -n "__fish_lodger_using_subcommand login" -s u -l username -d 'Username for the registry' -r
complete -c lodger -n "__fish_lodger_using_subcommand login" -s p -l password -d 'Password for the registry' -r
complete -c lodger -n "__fish_lodger_using_subcommand login" -l tls-verify -d 'Require HTTPS and verify certificates when contacting registries' -r -f -a "true\t''
false\t''"
complete -c lodger -n "__fish_lodger_using_subcommand login" -l authfile -d 'Path of the authentication file' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand login" -l creds -d 'Credentials (USERNAME[:PASSWORD]) to use for the registry' -r
complete -c lodger -n "__fish_lodger_using_subcommand login" -l cert-dir -d 'Directory with certificates (*.crt, *.cert, *.key) for the registry' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand login" -l root -d 'Path of the image store (default: $XDG_DATA_HOME/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand login" -l runroot -d 'Path of the per-boot runtime state (default: $XDG_RUNTIME_DIR/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand login" -l password-stdin -d 'Take the password from stdin'
complete -c lodger -n "__fish_lodger_using_subcommand login" -l get-login -d 'Print the username of the stored credentials'
complete -c lodger -n "__fish_lodger_using_subcommand login" -s h -l help -d 'Print help'
complete -c lodger -n "__fish_lodger_using_subcommand login" -s V -l version -d 'Print version'
complete -c lodger -n "__fish_lodger_using_subcommand logout" -l authfile -d 'Path of the authentication file' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand logout" -l root -d 'Path of the image store (default: $XDG_DATA_HOME/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand logout" -l runroot -d 'Path of the per-boot runtime state (default: $XDG_RUNTIME_DIR/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand logout" -s a -l all -d 'Remove the credentials of every registry'
complete -c lodger -n "__fish_lodger_using_subcommand logout" -s h -l help -d 'Print help'
complete -c lodger -n "__fish_lodger_using_subcommand logout" -s V -l version -d 'Print version'
complete -c lodger -n "__fish_lodger_using_subcommand images" -l format -d 'Output format: json, table, or a Go template such as {{.Repository}}:{{.Tag}}' -r
complete -c lodger -n "__fish_lodger_using_subcommand images" -s f -l filter -d 'Filter output: reference=PATTERN, dangling=true|false, label=KEY[=VALUE], before=IMAGE, since=IMAGE' -r
complete -c lodger -n "__fish_lodger_using_subcommand images" -l root -d 'Path of the image store (default: $XDG_DATA_HOME/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand images" -l runroot -d 'Path of the per-boot runtime state (default: $XDG_RUNTIME_DIR/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand images" -s a -l all -d 'Show all images (default hides intermediate images; lodger has none)'
complete -c lodger -n "__fish_lodger_using_subcommand images" -s q -l quiet -d 'Display only image IDs'
complete -c lodger -n "__fish_lodger_using_subcommand images" -l digests -d 'Show digests'
complete -c lodger -n "__fish_lodger_using_subcommand images" -l no-trunc -d 'Do not truncate output'
complete -c lodger -n "__fish_lodger_using_subcommand images" -s n -l noheading -d 'Do not print column headings'
complete -c lodger -n "__fish_lodger_using_subcommand images" -s h -l help -d 'Print help'
complete -c lodger -n "__fish_lodger_using_subcommand images" -s V -l version -d 'Print version'
complete -c lodger -n "__fish_lodger_using_subcommand rmi" -l root -d 'Path of the image store (default: $XDG_DATA_HOME/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand rmi" -l runroot -d 'Path of the per-boot runtime state (default: $XDG_RUNTIME_DIR/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand rmi" -s a -l all -d 'Remove all images'
complete -c lodger -n "__fish_lodger_using_subcommand rmi" -s f -l force -d 'Force removal of the image (also by ID when it has several names)'
complete -c lodger -n "__fish_lodger_using_subcommand rmi" -s i -l ignore -d 'Do not fail when an image does not exist'
complete -c lodger -n "__fish_lodger_using_subcommand rmi" -s h -l help -d 'Print help'
complete -c lodger -n "__fish_lodger_using_subcommand rmi" -s V -l version -d 'Print version'
complete -c lodger -n "__fish_lodger_using_subcommand tag" -l root -d 'Path of the image store (default: $XDG_DATA_HOME/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand tag" -l runroot -d 'Path of the per-boot runtime state (default: $XDG_RUNTIME_DIR/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand tag" -s h -l help -d 'Print help'
complete -c lodger -n "__fish_lodger_using_subcommand tag" -s V -l version -d 'Print version'
complete -c lodger -n "__fish_lodger_using_subcommand untag" -l root -d 'Path of the image store (default: $XDG_DATA_HOME/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand untag" -l runroot -d 'Path of the per-boot runtime state (default: $XDG_RUNTIME_DIR/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand untag" -s h -l help -d 'Print help'
complete -c lodger -n "__fish_lodger_using_subcommand untag" -s V -l version -d 'Print version'
complete -c lodger -n "__fish_lodger_using_subcommand inspect" -s f -l format -d 'Format the output with a Go template, or json' -r
complete -c lodger -n "__fish_lodger_using_subcommand inspect" -s t -l type -d 'Type of object to inspect: container, image, volume or all' -r
complete -c lodger -n "__fish_lodger_using_subcommand inspect" -l root -d 'Path of the image store (default: $XDG_DATA_HOME/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand inspect" -l runroot -d 'Path of the per-boot runtime state (default: $XDG_RUNTIME_DIR/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand inspect" -s h -l help -d 'Print help'
complete -c lodger -n "__fish_lodger_using_subcommand inspect" -s V -l version -d 'Print version'
complete -c lodger -n "__fish_lodger_using_subcommand history" -s H -l human -d 'Display sizes and dates in human readable format' -r -f -a "true\t''
false\t''"
complete -c lodger -n "__fish_lodger_using_subcommand history" -l format -d 'Output format: json or a Go template' -r
complete -c lodger -n "__fish_lodger_using_subcommand history" -l root -d 'Path of the image store (default: $XDG_DATA_HOME/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand history" -l runroot -d 'Path of the per-boot runtime state (default: $XDG_RUNTIME_DIR/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand history" -l no-trunc -d 'Do not truncate the output'
complete -c lodger -n "__fish_lodger_using_subcommand history" -s q -l quiet -d 'Display only the numeric IDs'
complete -c lodger -n "__fish_lodger_using_subcommand history" -s h -l help -d 'Print help'
complete -c lodger -n "__fish_lodger_using_subcommand history" -s V -l version -d 'Print version'
complete -c lodger -n "__fish_lodger_using_subcommand save" -s o -l output -d 'Write to a file (default: stdout when it is not a terminal)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand save" -l format -d 'docker-archive (default), oci-archive or oci-dir' -r
complete -c lodger -n "__fish_lodger_using_subcommand save" -l root -d 'Path of the image store (default: $XDG_DATA_HOME/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand save" -l runroot -d 'Path of the per-boot runtime state (default: $XDG_RUNTIME_DIR/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand save" -s m -l multi-image-archive -d 'Save several images into one docker archive'
complete -c lodger -n "__fish_lodger_using_subcommand save" -s q -l quiet -d 'Suppress output'
complete -c lodger -n "__fish_lodger_using_subcommand save" -s h -l help -d 'Print help'
complete -c lodger -n "__fish_lodger_using_subcommand save" -s V -l version -d 'Print version'
complete -c lodger -n "__fish_lodger_using_subcommand load" -s i -l input -d 'Read from an archive file or OCI directory (default: stdin)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand load" -l root -d 'Path of the image store (default: $XDG_DATA_HOME/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand load" -l runroot -d 'Path of the per-boot runtime state (default: $XDG_RUNTIME_DIR/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand load" -s q -l quiet -d 'Suppress the progress output'
complete -c lodger -n "__fish_lodger_using_subcommand load" -s h -l help -d 'Print help'
complete -c lodger -n "__fish_lodger_using_subcommand load" -s V -l version -d 'Print version'
complete -c lodger -n "__fish_lodger_using_subcommand image; and not __fish_seen_subcommand_from ls rm inspect history prune tag untag pull push save load import exists" -l root -d 'Path of the image store (default: $XDG_DATA_HOME/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand image; and not __fish_seen_subcommand_from ls rm inspect history prune tag untag pull push save load import exists" -l runroot -d 'Path of the per-boot runtime state (default: $XDG_RUNTIME_DIR/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand image; and not __fish_seen_subcommand_from ls rm inspect history prune tag untag pull push save load import exists" -s h -l help -d 'Print help'
complete -c lodger -n "__fish_lodger_using_subcommand image; and not __fish_seen_subcommand_from ls rm inspect history prune tag untag pull push save load import exists" -s V -l version -d 'Print version'
complete -c lodger -n "__fish_lodger_using_subcommand image; and not __fish_seen_subcommand_from ls rm inspect history prune tag untag pull push save load import exists" -f -a "ls" -d 'List images in local storage'
complete -c lodger -n "__fish_lodger_using_subcommand image; and not __fish_seen_subcommand_from ls rm inspect history prune tag untag pull push save load import exists" -f -a "rm" -d 'Remove one or more images'
complete -c lodger -n "__fish_lodger_using_subcommand image; and not __fish_seen_subcommand_from ls rm inspect history prune tag untag pull push save load import exists" -f -a "inspect" -d 'Display the configuration of an image'
complete -c lodger -n "__fish_lodger_using_subcommand image; and not __fish_seen_subcommand_from ls rm inspect history prune tag untag pull push save load import exists" -f -a "history" -d 'Show the history of an image'
complete -c lodger -n "__fish_lodger_using_subcommand image; and not __fish_seen_subcommand_from ls rm inspect history prune tag untag pull push save load import exists" -f -a "prune" -d 'Remove unused images'
complete -c lodger -n "__fish_lodger_using_subcommand image; and not __fish_seen_subcommand_from ls rm inspect history prune tag untag pull push save load import exists" -f -a "tag" -d 'Add an additional name to a local image'
complete -c lodger -n "__fish_lodger_using_subcommand image; and not __fish_seen_subcommand_from ls rm inspect history prune tag untag pull push save load import exists" -f -a "untag" -d 'Remove a name from a local image'
complete -c lodger -n "__fish_lodger_using_subcommand image; and not __fish_seen_subcommand_from ls rm inspect history prune tag untag pull push save load import exists" -f -a "pull" -d 'Pull an image from a registry'
complete -c lodger -n "__fish_lodger_using_subcommand image; and not __fish_seen_subcommand_from ls rm inspect history prune tag untag pull push save load import exists" -f -a "push" -d 'Push an image to a registry'
complete -c lodger -n "__fish_lodger_using_subcommand image; and not __fish_seen_subcommand_from ls rm inspect history prune tag untag pull push save load import exists" -f -a "save" -d 'Save images to an archive'
complete -c lodger -n "__fish_lodger_using_subcommand image; and not __fish_seen_subcommand_from ls rm inspect history prune tag untag pull push save load import exists" -f -a "load" -d 'Load images from an archive'
complete -c lodger -n "__fish_lodger_using_subcommand image; and not __fish_seen_subcommand_from ls rm inspect history prune tag untag pull push save load import exists" -f -a "import" -d 'Import a tarball as a new image'
complete -c lodger -n "__fish_lodger_using_subcommand image; and not __fish_seen_subcommand_from ls rm inspect history prune tag untag pull push save load import exists" -f -a "exists" -d 'Check whether an image exists in local storage (exit 0 yes, 1 no)'
complete -c lodger -n "__fish_lodger_using_subcommand image; and __fish_seen_subcommand_from ls" -l format -d 'Output format: json, table, or a Go template such as {{.Repository}}:{{.Tag}}' -r
complete -c lodger -n "__fish_lodger_using_subcommand image; and __fish_seen_subcommand_from ls" -s f -l filter -d 'Filter output: reference=PATTERN, dangling=true|false, label=KEY[=VALUE], before=IMAGE, since=IMAGE' -r
complete -c lodger -n "__fish_lodger_using_subcommand image; and __fish_seen_subcommand_from ls" -l root -d 'Path of the image store (default: $XDG_DATA_HOME/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand image; and __fish_seen_subcommand_from ls" -l runroot -d 'Path of the per-boot runtime state (default: $XDG_RUNTIME_DIR/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand image; and __fish_seen_subcommand_from ls" -s a -l all -d 'Show all images (default hides intermediate images; lodger has none)'
complete -c lodger -n "__fish_lodger_using_subcommand image; and __fish_seen_subcommand_from ls" -s q -l quiet -d 'Display only image IDs'
complete -c lodger -n "__fish_lodger_using_subcommand image; and __fish_seen_subcommand_from ls" -l digests -d 'Show digests'
complete -c lodger -n "__fish_lodger_using_subcommand image; and __fish_seen_subcommand_from ls" -l no-trunc -d 'Do not truncate output'
complete -c lodger -n "__fish_lodger_using_subcommand image; and __fish_seen_subcommand_from ls" -s n -l noheading -d 'Do not print column headings'
complete -c lodger -n "__fish_lodger_using_subcommand image; and __fish_seen_subcommand_from ls" -s h -l help -d 'Print help'
complete -c lodger -n "__fish_lodger_using_subcommand image; and __fish_seen_subcommand_from ls" -s V -l version -d 'Print version'
complete -c lodger -n "__fish_lodger_using_subcommand image; and __fish_seen_subcommand_from rm" -l root -d 'Path of the image store (default: $XDG_DATA_HOME/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand image; and __fish_seen_subcommand_from rm" -l runroot -d 'Path of the per-boot runtime state (default: $XDG_RUNTIME_DIR/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand image; and __fish_seen_subcommand_from rm" -s a -l all -d 'Remove all images'
complete -c lodger -n "__fish_lodger_using_subcommand image; and __fish_seen_subcommand_from rm" -s f -l force -d 'Force removal of the image (also by ID when it has several names)'
complete -c lodger -n "__fish_lodger_using_subcommand image; and __fish_seen_subcommand_from rm" -s i -l ignore -d 'Do not fail when an image does not exist'
complete -c lodger -n "__fish_lodger_using_subcommand image; and __fish_seen_subcommand_from rm" -s h -l help -d 'Print help'
complete -c lodger -n "__fish_lodger_using_subcommand image; and __fish_seen_subcommand_from rm" -s V -l version -d 'Print version'
complete -c lodger -n "__fish_lodger_using_subcommand image; and __fish_seen_subcommand_from inspect" -s f -l format -d 'Format the output with a Go template, or json' -r
complete -c lodger -n "__fish_lodger_using_subcommand image; and __fish_seen_subcommand_from inspect" -l root -d 'Path of the image store (default: $XDG_DATA_HOME/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand image; and __fish_seen_subcommand_from inspect" -l runroot -d 'Path of the per-boot runtime state (default: $XDG_RUNTIME_DIR/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand image; and __fish_seen_subcommand_from inspect" -s h -l help -d 'Print help'
complete -c lodger -n "__fish_lodger_using_subcommand image; and __fish_seen_subcommand_from inspect" -s V -l version -d 'Print version'
complete -c lodger -n "__fish_lodger_using_subcommand image; and __fish_seen_subcommand_from history" -s H -l human -d 'Display sizes and dates in human readable format' -r -f -a "true\t''
false\t''"
complete -c lodger -n "__fish_lodger_using_subcommand image; and __fish_seen_subcommand_from history" -l format -d 'Output format: json or a Go template' -r
complete -c lodger -n "__fish_lodger_using_subcommand image; and __fish_seen_subcommand_from history" -l root -d 'Path of the image store (default: $XDG_DATA_HOME/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand image; and __fish_seen_subcommand_from history" -l runroot -d 'Path of the per-boot runtime state (default: $XDG_RUNTIME_DIR/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand image; and __fish_seen_subcommand_from history" -l no-trunc -d 'Do not truncate the output'
complete -c lodger -n "__fish_lodger_using_subcommand image; and __fish_seen_subcommand_from history" -s q -l quiet -d 'Display only the numeric IDs'
complete -c lodger -n "__fish_lodger_using_subcommand image; and __fish_seen_subcommand_from history" -s h -l help -d 'Print help'
complete -c lodger -n "__fish_lodger_using_subcommand image; and __fish_seen_subcommand_from history" -s V -l version -d 'Print version'
complete -c lodger -n "__fish_lodger_using_subcommand image; and __fish_seen_subcommand_from prune" -l root -d 'Path of the image store (default: $XDG_DATA_HOME/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand image; and __fish_seen_subcommand_from prune" -l runroot -d 'Path of the per-boot runtime state (default: $XDG_RUNTIME_DIR/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand image; and __fish_seen_subcommand_from prune" -s a -l all -d 'Remove all images not in use by containers, not only dangling ones'
complete -c lodger -n "__fish_lodger_using_subcommand image; and __fish_seen_subcommand_from prune" -s f -l force -d 'Do not prompt for confirmation'
complete -c lodger -n "__fish_lodger_using_subcommand image; and __fish_seen_subcommand_from prune" -s h -l help -d 'Print help'
complete -c lodger -n "__fish_lodger_using_subcommand image; and __fish_seen_subcommand_from prune" -s V -l version -d 'Print version'
complete -c lodger -n "__fish_lodger_using_subcommand image; and __fish_seen_subcommand_from tag" -l root -d 'Path of the image store (default: $XDG_DATA_HOME/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand image; and __fish_seen_subcommand_from tag" -l runroot -d 'Path of the per-boot runtime state (default: $XDG_RUNTIME_DIR/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand image; and __fish_seen_subcommand_from tag" -s h -l help -d 'Print help'
complete -c lodger -n "__fish_lodger_using_subcommand image; and __fish_seen_subcommand_from tag" -s V -l version -d 'Print version'
complete -c lodger -n "__fish_lodger_using_subcommand image; and __fish_seen_subcommand_from untag" -l root -d 'Path of the image store (default: $XDG_DATA_HOME/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand image; and __fish_seen_subcommand_from untag" -l runroot -d 'Path of the per-boot runtime state (default: $XDG_RUNTIME_DIR/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand image; and __fish_seen_subcommand_from untag" -s h -l help -d 'Print help'
complete -c lodger -n "__fish_lodger_using_subcommand image; and __fish_seen_subcommand_from untag" -s V -l version -d 'Print version'
complete -c lodger -n "__fish_lodger_using_subcommand image; and __fish_seen_subcommand_from pull" -l platform -d 'Choose OS/ARCH[/VARIANT] from a manifest list' -r
complete -c lodger -n "__fish_lodger_using_subcommand image; and __fish_seen_subcommand_from pull" -l arch -d 'Use ARCH instead of the architecture of the machine' -r
complete -c lodger -n "__fish_lodger_using_subcommand image; and __fish_seen_subcommand_from pull" -l os -d 'Use OS instead of the running OS' -r
complete -c lodger -n "__fish_lodger_using_subcommand image; and __fish_seen_subcommand_from pull" -l variant -d 'Use VARIANT instead of the default architecture variant' -r
complete -c lodger -n "__fish_lodger_using_subcommand image; and __fish_seen_subcommand_from pull" -l policy -d 'When to pull: always, missing, never, newer' -r
complete -c lodger -n "__fish_lodger_using_subcommand image; and __fish_seen_subcommand_from pull" -l tls-verify -d 'Require HTTPS and verify certificates when contacting registries' -r -f -a "true\t''
false\t''"
complete -c lodger -n "__fish_lodger_using_subcommand image; and __fish_seen_subcommand_from pull" -l authfile -d 'Path of the authentication file' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand image; and __fish_seen_subcommand_from pull" -l creds -d 'Credentials (USERNAME[:PASSWORD]) to use for the registry' -r
complete -c lodger -n "__fish_lodger_using_subcommand image; and __fish_seen_subcommand_from pull" -l cert-dir -d 'Directory with certificates (*.crt, *.cert, *.key) for the registry' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand image; and __fish_seen_subcommand_from pull" -l root -d 'Path of the image store (default: $XDG_DATA_HOME/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand image; and __fish_seen_subcommand_from pull" -l runroot -d 'Path of the per-boot runtime state (default: $XDG_RUNTIME_DIR/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand image; and __fish_seen_subcommand_from pull" -s q -l quiet -d 'Suppress output information when pulling images'
complete -c lodger -n "__fish_lodger_using_subcommand image; and __fish_seen_subcommand_from pull" -s h -l help -d 'Print help'
complete -c lodger -n "__fish_lodger_using_subcommand image; and __fish_seen_subcommand_from pull" -s V -l version -d 'Print version'
complete -c lodger -n "__fish_lodger_using_subcommand image; and __fish_seen_subcommand_from push" -s f -l format -d 'Manifest type to push: oci or v2s2 (default: as stored)' -r
complete -c lodger -n "__fish_lodger_using_subcommand image; and __fish_seen_subcommand_from push" -l digestfile -d 'Write the digest of the pushed manifest to this file' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand image; and __fish_seen_subcommand_from push" -l tls-verify -d 'Require HTTPS and verify certificates when contacting registries' -r -f -a "true\t''
false\t''"
complete -c lodger -n "__fish_lodger_using_subcommand image; and __fish_seen_subcommand_from push" -l authfile -d 'Path of the authentication file' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand image; and __fish_seen_subcommand_from push" -l creds -d 'Credentials (USERNAME[:PASSWORD]) to use for the registry' -r
complete -c lodger -n "__fish_lodger_using_subcommand image; and __fish_seen_subcommand_from push" -l cert-dir -d 'Directory with certificates (*.crt, *.cert, *.key) for the registry' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand image; and __fish_seen_subcommand_from push" -l root -d 'Path of the image store (default: $XDG_DATA_HOME/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand image; and __fish_seen_subcommand_from push" -l runroot -d 'Path of the per-boot runtime state (default: $XDG_RUNTIME_DIR/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand image; and __fish_seen_subcommand_from push" -s q -l quiet -d 'Suppress output information when pushing images'
complete -c lodger -n "__fish_lodger_using_subcommand image; and __fish_seen_subcommand_from push" -s h -l help -d 'Print help'
complete -c lodger -n "__fish_lodger_using_subcommand image; and __fish_seen_subcommand_from push" -s V -l version -d 'Print version'
complete -c lodger -n "__fish_lodger_using_subcommand image; and __fish_seen_subcommand_from save" -s o -l output -d 'Write to a file (default: stdout when it is not a terminal)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand image; and __fish_seen_subcommand_from save" -l format -d 'docker-archive (default), oci-archive or oci-dir' -r
complete -c lodger -n "__fish_lodger_using_subcommand image; and __fish_seen_subcommand_from save" -l root -d 'Path of the image store (default: $XDG_DATA_HOME/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand image; and __fish_seen_subcommand_from save" -l runroot -d 'Path of the per-boot runtime state (default: $XDG_RUNTIME_DIR/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand image; and __fish_seen_subcommand_from save" -s m -l multi-image-archive -d 'Save several images into one docker archive'
complete -c lodger -n "__fish_lodger_using_subcommand image; and __fish_seen_subcommand_from save" -s q -l quiet -d 'Suppress output'
complete -c lodger -n "__fish_lodger_using_subcommand image; and __fish_seen_subcommand_from save" -s h -l help -d 'Print help'
complete -c lodger -n "__fish_lodger_using_subcommand image; and __fish_seen_subcommand_from save" -s V -l version -d 'Print version'
complete -c lodger -n "__fish_lodger_using_subcommand image; and __fish_seen_subcommand_from load" -s i -l input -d 'Read from an archive file or OCI directory (default: stdin)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand image; and __fish_seen_subcommand_from load" -l root -d 'Path of the image store (default: $XDG_DATA_HOME/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand image; and __fish_seen_subcommand_from load" -l runroot -d 'Path of the per-boot runtime state (default: $XDG_RUNTIME_DIR/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand image; and __fish_seen_subcommand_from load" -s q -l quiet -d 'Suppress the progress output'
complete -c lodger -n "__fish_lodger_using_subcommand image; and __fish_seen_subcommand_from load" -s h -l help -d 'Print help'
complete -c lodger -n "__fish_lodger_using_subcommand image; and __fish_seen_subcommand_from load" -s V -l version -d 'Print version'
complete -c lodger -n "__fish_lodger_using_subcommand image; and __fish_seen_subcommand_from import" -s c -l change -d 'Dockerfile instruction to apply to the image (CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, STOPSIGNAL, USER, VOLUME, WORKDIR)' -r
complete -c lodger -n "__fish_lodger_using_subcommand image; and __fish_seen_subcommand_from import" -s m -l message -d 'Commit message, recorded in the image\'s history' -r
complete -c lodger -n "__fish_lodger_using_subcommand image; and __fish_seen_subcommand_from import" -l root -d 'Path of the image store (default: $XDG_DATA_HOME/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand image; and __fish_seen_subcommand_from import" -l runroot -d 'Path of the per-boot runtime state (default: $XDG_RUNTIME_DIR/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand image; and __fish_seen_subcommand_from import" -s q -l quiet -d 'Print only the image id'
complete -c lodger -n "__fish_lodger_using_subcommand image; and __fish_seen_subcommand_from import" -s h -l help -d 'Print help'
complete -c lodger -n "__fish_lodger_using_subcommand image; and __fish_seen_subcommand_from import" -s V -l version -d 'Print version'
complete -c lodger -n "__fish_lodger_using_subcommand image; and __fish_seen_subcommand_from exists" -l root -d 'Path of the image store (default: $XDG_DATA_HOME/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand image; and __fish_seen_subcommand_from exists" -l runroot -d 'Path of the per-boot runtime state (default: $XDG_RUNTIME_DIR/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand image; and __fish_seen_subcommand_from exists" -s h -l help -d 'Print help'
complete -c lodger -n "__fish_lodger_using_subcommand image; and __fish_seen_subcommand_from exists" -s V -l version -d 'Print version'
complete -c lodger -n "__fish_lodger_using_subcommand volume; and not __fish_seen_subcommand_from create ls inspect rm prune exists" -l root -d 'Path of the image store (default: $XDG_DATA_HOME/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand volume; and not __fish_seen_subcommand_from create ls inspect rm prune exists" -l runroot -d 'Path of the per-boot runtime state (default: $XDG_RUNTIME_DIR/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand volume; and not __fish_seen_subcommand_from create ls inspect rm prune exists" -s h -l help -d 'Print help'
complete -c lodger -n "__fish_lodger_using_subcommand volume; and not __fish_seen_subcommand_from create ls inspect rm prune exists" -s V -l version -d 'Print version'
complete -c lodger -n "__fish_lodger_using_subcommand volume; and not __fish_seen_subcommand_from create ls inspect rm prune exists" -f -a "create" -d 'Create a volume'
complete -c lodger -n "__fish_lodger_using_subcommand volume; and not __fish_seen_subcommand_from create ls inspect rm prune exists" -f -a "ls" -d 'List volumes'
complete -c lodger -n "__fish_lodger_using_subcommand volume; and not __fish_seen_subcommand_from create ls inspect rm prune exists" -f -a "inspect" -d 'Display detailed information on volumes'
complete -c lodger -n "__fish_lodger_using_subcommand volume; and not __fish_seen_subcommand_from create ls inspect rm prune exists" -f -a "rm" -d 'Remove volumes'
complete -c lodger -n "__fish_lodger_using_subcommand volume; and not __fish_seen_subcommand_from create ls inspect rm prune exists" -f -a "prune" -d 'Remove all volumes not used by a container'
complete -c lodger -n "__fish_lodger_using_subcommand volume; and not __fish_seen_subcommand_from create ls inspect rm prune exists" -f -a "exists" -d 'Check whether a volume exists (exit 0 yes, 1 no)'
complete -c lodger -n "__fish_lodger_using_subcommand volume; and __fish_seen_subcommand_from create" -s l -l label -d 'Set a label: KEY=VALUE' -r
complete -c lodger -n "__fish_lodger_using_subcommand volume; and __fish_seen_subcommand_from create" -l root -d 'Path of the image store (default: $XDG_DATA_HOME/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand volume; and __fish_seen_subcommand_from create" -l runroot -d 'Path of the per-boot runtime state (default: $XDG_RUNTIME_DIR/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand volume; and __fish_seen_subcommand_from create" -l ignore -d 'Do nothing when the volume already exists'
complete -c lodger -n "__fish_lodger_using_subcommand volume; and __fish_seen_subcommand_from create" -s h -l help -d 'Print help'
complete -c lodger -n "__fish_lodger_using_subcommand volume; and __fish_seen_subcommand_from create" -s V -l version -d 'Print version'
complete -c lodger -n "__fish_lodger_using_subcommand volume; and __fish_seen_subcommand_from ls" -l format -d 'Format the output: json or a Go template' -r
complete -c lodger -n "__fish_lodger_using_subcommand volume; and __fish_seen_subcommand_from ls" -s f -l filter -d 'Filter: name=, label=KEY[=VALUE], dangling=true|false' -r
complete -c lodger -n "__fish_lodger_using_subcommand volume; and __fish_seen_subcommand_from ls" -l root -d 'Path of the image store (default: $XDG_DATA_HOME/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand volume; and __fish_seen_subcommand_from ls" -l runroot -d 'Path of the per-boot runtime state (default: $XDG_RUNTIME_DIR/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand volume; and __fish_seen_subcommand_from ls" -s q -l quiet -d 'Print only the volume names'
complete -c lodger -n "__fish_lodger_using_subcommand volume; and __fish_seen_subcommand_from ls" -s h -l help -d 'Print help'
complete -c lodger -n "__fish_lodger_using_subcommand volume; and __fish_seen_subcommand_from ls" -s V -l version -d 'Print version'
complete -c lodger -n "__fish_lodger_using_subcommand volume; and __fish_seen_subcommand_from inspect" -s f -l format -d 'Format the output with a Go template, or json' -r
complete -c lodger -n "__fish_lodger_using_subcommand volume; and __fish_seen_subcommand_from inspect" -l root -d 'Path of the image store (default: $XDG_DATA_HOME/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand volume; and __fish_seen_subcommand_from inspect" -l runroot -d 'Path of the per-boot runtime state (default: $XDG_RUNTIME_DIR/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand volume; and __fish_seen_subcommand_from inspect" -s a -l all -d 'Inspect all volumes'
complete -c lodger -n "__fish_lodger_using_subcommand volume; and __fish_seen_subcommand_from inspect" -s h -l help -d 'Print help'
complete -c lodger -n "__fish_lodger_using_subcommand volume; and __fish_seen_subcommand_from inspect" -s V -l version -d 'Print version'
complete -c lodger -n "__fish_lodger_using_subcommand volume; and __fish_seen_subcommand_from rm" -l root -d 'Path of the image store (default: $XDG_DATA_HOME/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand volume; and __fish_seen_subcommand_from rm" -l runroot -d 'Path of the per-boot runtime state (default: $XDG_RUNTIME_DIR/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand volume; and __fish_seen_subcommand_from rm" -s a -l all -d 'Remove all volumes'
complete -c lodger -n "__fish_lodger_using_subcommand volume; and __fish_seen_subcommand_from rm" -s f -l force -d 'Remove the containers using the volumes too'
complete -c lodger -n "__fish_lodger_using_subcommand volume; and __fish_seen_subcommand_from rm" -s h -l help -d 'Print help'
complete -c lodger -n "__fish_lodger_using_subcommand volume; and __fish_seen_subcommand_from rm" -s V -l version -d 'Print version'
complete -c lodger -n "__fish_lodger_using_subcommand volume; and __fish_seen_subcommand_from prune" -l root -d 'Path of the image store (default: $XDG_DATA_HOME/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand volume; and __fish_seen_subcommand_from prune" -l runroot -d 'Path of the per-boot runtime state (default: $XDG_RUNTIME_DIR/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand volume; and __fish_seen_subcommand_from prune" -s f -l force -d 'Do not ask for confirmation'
complete -c lodger -n "__fish_lodger_using_subcommand volume; and __fish_seen_subcommand_from prune" -s h -l help -d 'Print help'
complete -c lodger -n "__fish_lodger_using_subcommand volume; and __fish_seen_subcommand_from prune" -s V -l version -d 'Print version'
complete -c lodger -n "__fish_lodger_using_subcommand volume; and __fish_seen_subcommand_from exists" -l root -d 'Path of the image store (default: $XDG_DATA_HOME/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand volume; and __fish_seen_subcommand_from exists" -l runroot -d 'Path of the per-boot runtime state (default: $XDG_RUNTIME_DIR/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand volume; and __fish_seen_subcommand_from exists" -s h -l help -d 'Print help'
complete -c lodger -n "__fish_lodger_using_subcommand volume; and __fish_seen_subcommand_from exists" -s V -l version -d 'Print version'
complete -c lodger -n "__fish_lodger_using_subcommand container; and not __fish_seen_subcommand_from attach commit cp create diff exec exists export inspect kill ps logs port prune rename restart rm run start stats stop top wait" -l root -d 'Path of the image store (default: $XDG_DATA_HOME/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand container; and not __fish_seen_subcommand_from attach commit cp create diff exec exists export inspect kill ps logs port prune rename restart rm run start stats stop top wait" -l runroot -d 'Path of the per-boot runtime state (default: $XDG_RUNTIME_DIR/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand container; and not __fish_seen_subcommand_from attach commit cp create diff exec exists export inspect kill ps logs port prune rename restart rm run start stats stop top wait" -s h -l help -d 'Print help'
complete -c lodger -n "__fish_lodger_using_subcommand container; and not __fish_seen_subcommand_from attach commit cp create diff exec exists export inspect kill ps logs port prune rename restart rm run start stats stop top wait" -s V -l version -d 'Print version'
complete -c lodger -n "__fish_lodger_using_subcommand container; and not __fish_seen_subcommand_from attach commit cp create diff exec exists export inspect kill ps logs port prune rename restart rm run start stats stop top wait" -f -a "attach" -d 'Attach to a running container\'s input and output'
complete -c lodger -n "__fish_lodger_using_subcommand container; and not __fish_seen_subcommand_from attach commit cp create diff exec exists export inspect kill ps logs port prune rename restart rm run start stats stop top wait" -f -a "commit" -d 'Create a new image from a container\'s changes'
complete -c lodger -n "__fish_lodger_using_subcommand container; and not __fish_seen_subcommand_from attach commit cp create diff exec exists export inspect kill ps logs port prune rename restart rm run start stats stop top wait" -f -a "cp" -d 'Copy files between a container and the host'
complete -c lodger -n "__fish_lodger_using_subcommand container; and not __fish_seen_subcommand_from attach commit cp create diff exec exists export inspect kill ps logs port prune rename restart rm run start stats stop top wait" -f -a "create" -d 'Create a container without starting it'
complete -c lodger -n "__fish_lodger_using_subcommand container; and not __fish_seen_subcommand_from attach commit cp create diff exec exists export inspect kill ps logs port prune rename restart rm run start stats stop top wait" -f -a "diff" -d 'Inspect changes to a container\'s filesystem'
complete -c lodger -n "__fish_lodger_using_subcommand container; and not __fish_seen_subcommand_from attach commit cp create diff exec exists export inspect kill ps logs port prune rename restart rm run start stats stop top wait" -f -a "exec" -d 'Run a command in a running container'
complete -c lodger -n "__fish_lodger_using_subcommand container; and not __fish_seen_subcommand_from attach commit cp create diff exec exists export inspect kill ps logs port prune rename restart rm run start stats stop top wait" -f -a "exists" -d 'Exit with 0 if the container exists, 1 if it does not'
complete -c lodger -n "__fish_lodger_using_subcommand container; and not __fish_seen_subcommand_from attach commit cp create diff exec exists export inspect kill ps logs port prune rename restart rm run start stats stop top wait" -f -a "export" -d 'Export a container\'s filesystem as a tar archive'
complete -c lodger -n "__fish_lodger_using_subcommand container; and not __fish_seen_subcommand_from attach commit cp create diff exec exists export inspect kill ps logs port prune rename restart rm run start stats stop top wait" -f -a "inspect" -d 'Display the configuration of containers'
complete -c lodger -n "__fish_lodger_using_subcommand container; and not __fish_seen_subcommand_from attach commit cp create diff exec exists export inspect kill ps logs port prune rename restart rm run start stats stop top wait" -f -a "kill" -d 'Send a signal to running containers'
complete -c lodger -n "__fish_lodger_using_subcommand container; and not __fish_seen_subcommand_from attach commit cp create diff exec exists export inspect kill ps logs port prune rename restart rm run start stats stop top wait" -f -a "ps" -d 'List containers'
complete -c lodger -n "__fish_lodger_using_subcommand container; and not __fish_seen_subcommand_from attach commit cp create diff exec exists export inspect kill ps logs port prune rename restart rm run start stats stop top wait" -f -a "logs" -d 'Fetch the output of a container'
complete -c lodger -n "__fish_lodger_using_subcommand container; and not __fish_seen_subcommand_from attach commit cp create diff exec exists export inspect kill ps logs port prune rename restart rm run start stats stop top wait" -f -a "port" -d 'List the published ports of a container'
complete -c lodger -n "__fish_lodger_using_subcommand container; and not __fish_seen_subcommand_from attach commit cp create diff exec exists export inspect kill ps logs port prune rename restart rm run start stats stop top wait" -f -a "prune" -d 'Remove all stopped containers'
complete -c lodger -n "__fish_lodger_using_subcommand container; and not __fish_seen_subcommand_from attach commit cp create diff exec exists export inspect kill ps logs port prune rename restart rm run start stats stop top wait" -f -a "rename" -d 'Rename a container'
complete -c lodger -n "__fish_lodger_using_subcommand container; and not __fish_seen_subcommand_from attach commit cp create diff exec exists export inspect kill ps logs port prune rename restart rm run start stats stop top wait" -f -a "restart" -d 'Restart containers'
complete -c lodger -n "__fish_lodger_using_subcommand container; and not __fish_seen_subcommand_from attach commit cp create diff exec exists export inspect kill ps logs port prune rename restart rm run start stats stop top wait" -f -a "rm" -d 'Remove containers'
complete -c lodger -n "__fish_lodger_using_subcommand container; and not __fish_seen_subcommand_from attach commit cp create diff exec exists export inspect kill ps logs port prune rename restart rm run start stats stop top wait" -f -a "run" -d 'Run a command in a new container'
complete -c lodger -n "__fish_lodger_using_subcommand container; and not __fish_seen_subcommand_from attach commit cp create diff exec exists export inspect kill ps logs port prune rename restart rm run start stats stop top wait" -f -a "start" -d 'Start a created or exited container'
complete -c lodger -n "__fish_lodger_using_subcommand container; and not __fish_seen_subcommand_from attach commit cp create diff exec exists export inspect kill ps logs port prune rename restart rm run start stats stop top wait" -f -a "stats" -d 'Display the resource use of running containers (needs their own cgroups)'
complete -c lodger -n "__fish_lodger_using_subcommand container; and not __fish_seen_subcommand_from attach commit cp create diff exec exists export inspect kill ps logs port prune rename restart rm run start stats stop top wait" -f -a "stop" -d 'Stop running containers'
complete -c lodger -n "__fish_lodger_using_subcommand container; and not __fish_seen_subcommand_from attach commit cp create diff exec exists export inspect kill ps logs port prune rename restart rm run start stats stop top wait" -f -a "top" -d 'Display the running processes of a container'
complete -c lodger -n "__fish_lodger_using_subcommand container; and not __fish_seen_subcommand_from attach commit cp create diff exec exists export inspect kill ps logs port prune rename restart rm run start stats stop top wait" -f -a "wait" -d 'Wait for containers to exit and print their exit codes'
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from attach" -l detach-keys -d 'Keys that detach: a comma-separated list of characters and ctrl-X ("" for none)' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from attach" -l sig-proxy -d 'Pass the signals lodger receives on to the container' -r -f -a "true\t''
false\t''"
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from attach" -l root -d 'Path of the image store (default: $XDG_DATA_HOME/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from attach" -l runroot -d 'Path of the per-boot runtime state (default: $XDG_RUNTIME_DIR/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from attach" -l no-stdin -d 'Do not attach stdin'
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from attach" -s h -l help -d 'Print help'
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from attach" -s V -l version -d 'Print version'
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from commit" -s c -l change -d 'Dockerfile instruction to apply to the image (CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, STOPSIGNAL, USER, VOLUME, WORKDIR)' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from commit" -s m -l message -d 'Commit message, recorded in the image\'s history' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from commit" -s a -l author -d 'Author of the image' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from commit" -s p -l pause -d 'Accepted for compatibility: the writable layer is read as it is' -r -f -a "true\t''
false\t''"
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from commit" -l root -d 'Path of the image store (default: $XDG_DATA_HOME/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from commit" -l runroot -d 'Path of the per-boot runtime state (default: $XDG_RUNTIME_DIR/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from commit" -s q -l quiet -d 'Print only the image id'
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from commit" -s h -l help -d 'Print help'
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from commit" -s V -l version -d 'Print version'
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from cp" -s a -l archive -d 'Files belong to the container\'s root user rather than keeping the owners of the source (`--archive=false` keeps them)' -r -f -a "true\t''
false\t''"
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from cp" -l root -d 'Path of the image store (default: $XDG_DATA_HOME/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from cp" -l runroot -d 'Path of the per-boot runtime state (default: $XDG_RUNTIME_DIR/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from cp" -l overwrite -d 'Accepted for compatibility: a directory may always replace a file and the reverse is refused'
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from cp" -s h -l help -d 'Print help'
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from cp" -s V -l version -d 'Print version'
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from create" -l name -d 'Assign a name to the container' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from create" -s e -l env -d 'Set environment variables (KEY=VALUE, KEY from lodger\'s environment, or PREFIX*)' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from create" -l env-file -d 'Read environment variables from a file' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from create" -s w -l workdir -d 'Working directory inside the container' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from create" -s u -l user -d 'User (and group) to run as: NAME|UID[:GROUP|GID]' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from create" -l group-add -d 'Additional groups for the process' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from create" -l entrypoint -d 'Override the image\'s entrypoint (a string or a JSON array)' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from create" -s h -l hostname -d 'Container hostname (default: the first 12 characters of its id)' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from create" -l tmpfs -d 'Mount a tmpfs: DIR[:OPTIONS]' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from create" -s v -l volume -d 'Mount a volume or host path: [NAME|/HOST/PATH:]/CONTAINER/PATH[:ro|rw][,U][,z|Z]' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from create" -l mount -d 'Attach a mount: type=bind|volume|tmpfs,source=,target=[,readonly]' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from create" -l volumes-from -d 'Mount the volumes of another container: CONTAINER[:ro|rw]' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from create" -l pull -d 'When to pull the image: missing, always, never, newer' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from create" -l userns -d 'User namespace: keep-id, host (the rootless default), or empty' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from create" -l network -l net -d 'Network mode: pasta[:OPTIONS], slirp4netns[:OPTIONS], none, host, container:NAME, ns:PATH (default: pasta, else slirp4netns)' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from create" -s p -l publish -d 'Publish a container\'s port to the host: [IP:][HOSTPORT:]CONTAINERPORT[/PROTOCOL]' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from create" -l dns -d 'Set a DNS server' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from create" -l dns-search -d 'Set a DNS search domain' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from create" -l dns-option -d 'Set a DNS option' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from create" -l add-host -d 'Add a custom host-to-IP mapping: HOST:IP' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from create" -l cap-add -d 'Add Linux capabilities' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from create" -l cap-drop -d 'Drop Linux capabilities' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from create" -s l -l label -d 'Set metadata: KEY=VALUE' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from create" -l annotation -d 'Add an annotation to the container: KEY=VALUE' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from create" -l restart -d 'Restart policy: no, on-failure[:MAX], always, unless-stopped' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from create" -l stop-signal -d 'Signal that stops the container (default SIGTERM)' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from create" -l stop-timeout -d 'Seconds to wait for the stop signal before SIGKILL (default 10)' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from create" -l log-driver -d 'Where the output of a detached container goes: k8s-file, none or passthrough' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from create" -l log-opt -d 'Logging option: max-size=SIZE, path=FILE, tag=TAG' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from create" -l cidfile -d 'Write the container\'s ID to FILE (which must not exist); removed with the container' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from create" -l sdnotify -d 'What $NOTIFY_SOCKET of a systemd Type=notify unit is told: conmon (READY=1 once the container runs, its monitor as MAINPID), container (the container says READY=1 itself) or ignore' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from create" -l cgroups -d 'The container\'s cgroup: enabled, no-conmon and split (one of its own, below a delegated cgroup v2 lodger runs in), or disabled (none)' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from create" -s m -l memory -d 'Memory limit (e.g. 512m, 1g; at least 6m); needs a delegated cgroup v2 subtree' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from create" -l memory-swap -d 'Memory plus swap limit (-1: unlimited swap; default: as much swap as --memory)' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from create" -l cpus -d 'CPUs the container may use (e.g. 0.5, 2)' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from create" -s c -l cpu-shares -d 'CPU shares, relative weight (default 1024)' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from create" -l pids-limit -d 'Most processes the container may have (-1: no limit)' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from create" -l platform -d 'Choose OS/ARCH[/VARIANT] from a manifest list' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from create" -l arch -d 'Use ARCH instead of the architecture of the machine' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from create" -l os -d 'Use OS instead of the running OS' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from create" -l variant -d 'Use VARIANT instead of the default architecture variant' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from create" -l tls-verify -d 'Require HTTPS and verify certificates when contacting registries' -r -f -a "true\t''
false\t''"
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from create" -l authfile -d 'Path of the authentication file' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from create" -l creds -d 'Credentials (USERNAME[:PASSWORD]) to use for the registry' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from create" -l cert-dir -d 'Directory with certificates (*.crt, *.cert, *.key) for the registry' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from create" -l root -d 'Path of the image store (default: $XDG_DATA_HOME/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from create" -l runroot -d 'Path of the per-boot runtime state (default: $XDG_RUNTIME_DIR/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from create" -l env-host -d 'Use all of lodger\'s environment in the container'
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from create" -l init -d 'Run an init inside the container that forwards signals and reaps processes'
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from create" -l read-only -d 'Make the container\'s root filesystem read-only'
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from create" -s P -l publish-all -d 'Publish every exposed port of the image on a free host port'
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from create" -l no-hosts -d 'Do not create /etc/hosts for the container'
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from create" -l rm -d 'Remove the container when it exits'
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from create" -s i -l interactive -d 'Keep stdin open'
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from create" -s t -l tty -d 'Allocate a pseudo-terminal'
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from create" -l replace -d 'Remove a container of the same --name first, even a running one'
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from create" -l help -d 'Print usage'
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from create" -s V -l version -d 'Print version'
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from diff" -l format -d 'Output format: json' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from diff" -l root -d 'Path of the image store (default: $XDG_DATA_HOME/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from diff" -l runroot -d 'Path of the per-boot runtime state (default: $XDG_RUNTIME_DIR/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from diff" -s h -l help -d 'Print help'
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from diff" -s V -l version -d 'Print version'
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from exec" -s u -l user -d 'User (and group) to run as: NAME|UID[:GROUP|GID]' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from exec" -s e -l env -d 'Set environment variables (KEY=VALUE, or KEY from lodger\'s environment)' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from exec" -l env-file -d 'Read environment variables from a file' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from exec" -s w -l workdir -d 'Working directory inside the container' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from exec" -l detach-keys -d 'Key sequence for detaching (accepted for Podman compatibility; lodger\'s exec does not detach from a terminal)' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from exec" -l root -d 'Path of the image store (default: $XDG_DATA_HOME/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from exec" -l runroot -d 'Path of the per-boot runtime state (default: $XDG_RUNTIME_DIR/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from exec" -s i -l interactive -d 'Keep stdin open'
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from exec" -s t -l tty -d 'Allocate a pseudo-terminal'
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from exec" -s d -l detach -d 'Run the command in the background, its output discarded, and print a session ID'
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from exec" -l privileged -d 'Give the command all capabilities of the container\'s user namespace'
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from exec" -s h -l help -d 'Print help'
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from exec" -s V -l version -d 'Print version'
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from exists" -l root -d 'Path of the image store (default: $XDG_DATA_HOME/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from exists" -l runroot -d 'Path of the per-boot runtime state (default: $XDG_RUNTIME_DIR/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from exists" -l external -d 'Accepted for Podman\'s scripts: lodger knows no containers made by other tools'
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from exists" -s h -l help -d 'Print help'
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from exists" -s V -l version -d 'Print version'
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from export" -s o -l output -d 'Write to this file instead of stdout' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from export" -l root -d 'Path of the image store (default: $XDG_DATA_HOME/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from export" -l runroot -d 'Path of the per-boot runtime state (default: $XDG_RUNTIME_DIR/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from export" -s h -l help -d 'Print help'
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from export" -s V -l version -d 'Print version'
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from inspect" -s f -l format -d 'Format the output with a Go template, or json' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from inspect" -l root -d 'Path of the image store (default: $XDG_DATA_HOME/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from inspect" -l runroot -d 'Path of the per-boot runtime state (default: $XDG_RUNTIME_DIR/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from inspect" -s h -l help -d 'Print help'
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from inspect" -s V -l version -d 'Print version'
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from kill" -s s -l signal -d 'Signal to send' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from kill" -l cidfile -d 'Read the container\'s ID from FILE (as written by run --cidfile)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from kill" -l root -d 'Path of the image store (default: $XDG_DATA_HOME/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from kill" -l runroot -d 'Path of the per-boot runtime state (default: $XDG_RUNTIME_DIR/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from kill" -s a -l all -d 'Signal all running containers'
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from kill" -s h -l help -d 'Print help'
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from kill" -s V -l version -d 'Print version'
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from ps" -l format -d 'Output format: json or a Go template such as {{.ID}} {{.Names}}' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from ps" -s f -l filter -d 'Filter: status=, name=, id=, label=KEY[=VALUE], ancestor=, exited=' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from ps" -s n -l last -d 'Show the N last created containers (all states)' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from ps" -l root -d 'Path of the image store (default: $XDG_DATA_HOME/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from ps" -l runroot -d 'Path of the per-boot runtime state (default: $XDG_RUNTIME_DIR/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from ps" -s a -l all -d 'Show all containers, not only running ones'
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from ps" -s q -l quiet -d 'Print only the container IDs'
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from ps" -l no-trunc -d 'Do not truncate the output'
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from ps" -l noheading -d 'Do not print column headings'
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from ps" -s l -l latest -d 'Show the last created container (all states)'
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from ps" -s s -l size -d 'Show the size of the writable layer and of the image'
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from ps" -s h -l help -d 'Print help'
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from ps" -s V -l version -d 'Print version'
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from logs" -s n -l tail -d 'Print only the last N lines' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from logs" -l since -d 'Only output since this time (RFC 3339, Unix seconds, or a duration such as 10m)' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from logs" -l until -d 'Only output until this time (same forms as --since)' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from logs" -l root -d 'Path of the image store (default: $XDG_DATA_HOME/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from logs" -l runroot -d 'Path of the per-boot runtime state (default: $XDG_RUNTIME_DIR/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from logs" -s f -l follow -d 'Keep printing new output until the container exits'
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from logs" -s t -l timestamps -d 'Prefix each line with its time'
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from logs" -s h -l help -d 'Print help'
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from logs" -s V -l version -d 'Print version'
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from port" -l root -d 'Path of the image store (default: $XDG_DATA_HOME/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from port" -l runroot -d 'Path of the per-boot runtime state (default: $XDG_RUNTIME_DIR/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from port" -s h -l help -d 'Print help'
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from port" -s V -l version -d 'Print version'
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from prune" -l root -d 'Path of the image store (default: $XDG_DATA_HOME/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from prune" -l runroot -d 'Path of the per-boot runtime state (default: $XDG_RUNTIME_DIR/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from prune" -s f -l force -d 'Do not ask for confirmation'
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from prune" -s h -l help -d 'Print help'
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from prune" -s V -l version -d 'Print version'
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from rename" -l root -d 'Path of the image store (default: $XDG_DATA_HOME/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from rename" -l runroot -d 'Path of the per-boot runtime state (default: $XDG_RUNTIME_DIR/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from rename" -s h -l help -d 'Print help'
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from rename" -s V -l version -d 'Print version'
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from restart" -s t -l time -d 'Seconds to wait before killing the container' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from restart" -l cidfile -d 'Read the container\'s ID from FILE (as written by run --cidfile)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from restart" -l root -d 'Path of the image store (default: $XDG_DATA_HOME/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from restart" -l runroot -d 'Path of the per-boot runtime state (default: $XDG_RUNTIME_DIR/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from restart" -s a -l all -d 'Restart all containers'
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from restart" -s h -l help -d 'Print help'
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from restart" -s V -l version -d 'Print version'
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from rm" -l cidfile -d 'Read the container\'s ID from FILE (as written by run --cidfile)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from rm" -s t -l time -d 'With --force, seconds a running container gets its stop signal before SIGKILL (default: SIGKILL at once)' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from rm" -l root -d 'Path of the image store (default: $XDG_DATA_HOME/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from rm" -l runroot -d 'Path of the per-boot runtime state (default: $XDG_RUNTIME_DIR/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from rm" -s a -l all -d 'Remove all containers'
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from rm" -s f -l force -d 'Kill running containers first'
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from rm" -s i -l ignore -d 'Ignore containers that do not exist'
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from rm" -s v -l volumes -d 'Remove the anonymous volumes of the containers'
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from rm" -l depend -d 'Also remove the containers that depend on these (implied by --all)'
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from rm" -s h -l help -d 'Print help'
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from rm" -s V -l version -d 'Print version'
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from run" -l detach-keys -d 'Keys that detach from a container run with -i and -t, leaving it running (default ctrl-p,ctrl-q; "" disables)' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from run" -l name -d 'Assign a name to the container' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from run" -s e -l env -d 'Set environment variables (KEY=VALUE, KEY from lodger\'s environment, or PREFIX*)' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from run" -l env-file -d 'Read environment variables from a file' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from run" -s w -l workdir -d 'Working directory inside the container' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from run" -s u -l user -d 'User (and group) to run as: NAME|UID[:GROUP|GID]' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from run" -l group-add -d 'Additional groups for the process' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from run" -l entrypoint -d 'Override the image\'s entrypoint (a string or a JSON array)' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from run" -s h -l hostname -d 'Container hostname (default: the first 12 characters of its id)' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from run" -l tmpfs -d 'Mount a tmpfs: DIR[:OPTIONS]' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from run" -s v -l volume -d 'Mount a volume or host path: [NAME|/HOST/PATH:]/CONTAINER/PATH[:ro|rw][,U][,z|Z]' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from run" -l mount -d 'Attach a mount: type=bind|volume|tmpfs,source=,target=[,readonly]' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from run" -l volumes-from -d 'Mount the volumes of another container: CONTAINER[:ro|rw]' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from run" -l pull -d 'When to pull the image: missing, always, never, newer' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from run" -l userns -d 'User namespace: keep-id, host (the rootless default), or empty' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from run" -l network -l net -d 'Network mode: pasta[:OPTIONS], slirp4netns[:OPTIONS], none, host, container:NAME, ns:PATH (default: pasta, else slirp4netns)' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from run" -s p -l publish -d 'Publish a container\'s port to the host: [IP:][HOSTPORT:]CONTAINERPORT[/PROTOCOL]' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from run" -l dns -d 'Set a DNS server' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from run" -l dns-search -d 'Set a DNS search domain' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from run" -l dns-option -d 'Set a DNS option' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from run" -l add-host -d 'Add a custom host-to-IP mapping: HOST:IP' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from run" -l cap-add -d 'Add Linux capabilities' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from run" -l cap-drop -d 'Drop Linux capabilities' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from run" -s l -l label -d 'Set metadata: KEY=VALUE' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from run" -l annotation -d 'Add an annotation to the container: KEY=VALUE' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from run" -l restart -d 'Restart policy: no, on-failure[:MAX], always, unless-stopped' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from run" -l stop-signal -d 'Signal that stops the container (default SIGTERM)' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from run" -l stop-timeout -d 'Seconds to wait for the stop signal before SIGKILL (default 10)' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from run" -l log-driver -d 'Where the output of a detached container goes: k8s-file, none or passthrough' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from run" -l log-opt -d 'Logging option: max-size=SIZE, path=FILE, tag=TAG' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from run" -l cidfile -d 'Write the container\'s ID to FILE (which must not exist); removed with the container' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from run" -l sdnotify -d 'What $NOTIFY_SOCKET of a systemd Type=notify unit is told: conmon (READY=1 once the container runs, its monitor as MAINPID), container (the container says READY=1 itself) or ignore' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from run" -l cgroups -d 'The container\'s cgroup: enabled, no-conmon and split (one of its own, below a delegated cgroup v2 lodger runs in), or disabled (none)' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from run" -s m -l memory -d 'Memory limit (e.g. 512m, 1g; at least 6m); needs a delegated cgroup v2 subtree' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from run" -l memory-swap -d 'Memory plus swap limit (-1: unlimited swap; default: as much swap as --memory)' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from run" -l cpus -d 'CPUs the container may use (e.g. 0.5, 2)' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from run" -s c -l cpu-shares -d 'CPU shares, relative weight (default 1024)' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from run" -l pids-limit -d 'Most processes the container may have (-1: no limit)' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from run" -l platform -d 'Choose OS/ARCH[/VARIANT] from a manifest list' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from run" -l arch -d 'Use ARCH instead of the architecture of the machine' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from run" -l os -d 'Use OS instead of the running OS' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from run" -l variant -d 'Use VARIANT instead of the default architecture variant' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from run" -l tls-verify -d 'Require HTTPS and verify certificates when contacting registries' -r -f -a "true\t''
false\t''"
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from run" -l authfile -d 'Path of the authentication file' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from run" -l creds -d 'Credentials (USERNAME[:PASSWORD]) to use for the registry' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from run" -l cert-dir -d 'Directory with certificates (*.crt, *.cert, *.key) for the registry' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from run" -l root -d 'Path of the image store (default: $XDG_DATA_HOME/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from run" -l runroot -d 'Path of the per-boot runtime state (default: $XDG_RUNTIME_DIR/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from run" -s d -l detach -d 'Run the container in the background and print its ID'
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from run" -l env-host -d 'Use all of lodger\'s environment in the container'
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from run" -l init -d 'Run an init inside the container that forwards signals and reaps processes'
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from run" -l read-only -d 'Make the container\'s root filesystem read-only'
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from run" -s P -l publish-all -d 'Publish every exposed port of the image on a free host port'
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from run" -l no-hosts -d 'Do not create /etc/hosts for the container'
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from run" -l rm -d 'Remove the container when it exits'
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from run" -s i -l interactive -d 'Keep stdin open'
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from run" -s t -l tty -d 'Allocate a pseudo-terminal'
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from run" -l replace -d 'Remove a container of the same --name first, even a running one'
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from run" -l help -d 'Print usage'
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from run" -s V -l version -d 'Print version'
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from start" -l detach-keys -d 'Keys that detach from a container created with -i and -t, started with -a -i, leaving it running (default ctrl-p,ctrl-q; "" disables)' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from start" -l root -d 'Path of the image store (default: $XDG_DATA_HOME/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from start" -l runroot -d 'Path of the per-boot runtime state (default: $XDG_RUNTIME_DIR/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from start" -s a -l attach -d 'Attach to the container\'s output and wait for it to exit'
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from start" -s i -l interactive -d 'Keep stdin open (with --attach)'
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from start" -s h -l help -d 'Print help'
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from start" -s V -l version -d 'Print version'
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from stats" -s i -l interval -d 'Seconds between readings when streaming' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from stats" -l format -d 'Format the output: json or a Go template' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from stats" -l root -d 'Path of the image store (default: $XDG_DATA_HOME/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from stats" -l runroot -d 'Path of the per-boot runtime state (default: $XDG_RUNTIME_DIR/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from stats" -s a -l all -d 'Show every container, the stopped ones with no figures'
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from stats" -l no-stream -d 'Print one reading and exit'
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from stats" -l no-trunc -d 'Do not truncate IDs'
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from stats" -s h -l help -d 'Print help'
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from stats" -s V -l version -d 'Print version'
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from stop" -s t -l time -d 'Seconds to wait before killing the container' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from stop" -l cidfile -d 'Read the container\'s ID from FILE (as written by run --cidfile)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from stop" -l root -d 'Path of the image store (default: $XDG_DATA_HOME/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from stop" -l runroot -d 'Path of the per-boot runtime state (default: $XDG_RUNTIME_DIR/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from stop" -s a -l all -d 'Stop all running containers'
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from stop" -s i -l ignore -d 'Ignore containers that do not exist (and --cidfile files that do not)'
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from stop" -s h -l help -d 'Print help'
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from stop" -s V -l version -d 'Print version'
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from top" -l root -d 'Path of the image store (default: $XDG_DATA_HOME/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from top" -l runroot -d 'Path of the per-boot runtime state (default: $XDG_RUNTIME_DIR/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from top" -s h -l help -d 'Print help'
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from top" -s V -l version -d 'Print version'
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from wait" -l condition -d 'State to wait for: stopped or exited (the default), running, created, removing; several match when any does' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from wait" -s i -l interval -d 'How often to check the state (a duration such as 250ms or 2s; a bare number is ms)' -r
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from wait" -l root -d 'Path of the image store (default: $XDG_DATA_HOME/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from wait" -l runroot -d 'Path of the per-boot runtime state (default: $XDG_RUNTIME_DIR/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from wait" -l ignore -d 'Print -1 for containers that do not exist instead of failing'
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from wait" -s l -l latest -d 'Wait for the last created container'
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from wait" -l exit-first-match -d 'Return when the first of the containers meets a condition, with its code only'
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from wait" -s h -l help -d 'Print help'
complete -c lodger -n "__fish_lodger_using_subcommand container; and __fish_seen_subcommand_from wait" -s V -l version -d 'Print version'
complete -c lodger -n "__fish_lodger_using_subcommand rename" -l root -d 'Path of the image store (default: $XDG_DATA_HOME/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand rename" -l runroot -d 'Path of the per-boot runtime state (default: $XDG_RUNTIME_DIR/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand rename" -s h -l help -d 'Print help'
complete -c lodger -n "__fish_lodger_using_subcommand rename" -s V -l version -d 'Print version'
complete -c lodger -n "__fish_lodger_using_subcommand info" -s f -l format -d 'Output format: json or a Go template' -r
complete -c lodger -n "__fish_lodger_using_subcommand info" -l root -d 'Path of the image store (default: $XDG_DATA_HOME/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand info" -l runroot -d 'Path of the per-boot runtime state (default: $XDG_RUNTIME_DIR/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand info" -s h -l help -d 'Print help'
complete -c lodger -n "__fish_lodger_using_subcommand info" -s V -l version -d 'Print version'
complete -c lodger -n "__fish_lodger_using_subcommand version" -s f -l format -d 'Output format: json or a Go template' -r
complete -c lodger -n "__fish_lodger_using_subcommand version" -l root -d 'Path of the image store (default: $XDG_DATA_HOME/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand version" -l runroot -d 'Path of the per-boot runtime state (default: $XDG_RUNTIME_DIR/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand version" -s h -l help -d 'Print help'
complete -c lodger -n "__fish_lodger_using_subcommand version" -s V -l version -d 'Print version'
complete -c lodger -n "__fish_lodger_using_subcommand completion" -s f -l file -d 'Write to this file instead of stdout' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand completion" -l root -d 'Path of the image store (default: $XDG_DATA_HOME/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand completion" -l runroot -d 'Path of the per-boot runtime state (default: $XDG_RUNTIME_DIR/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand completion" -s h -l help -d 'Print help'
complete -c lodger -n "__fish_lodger_using_subcommand completion" -s V -l version -d 'Print version'
complete -c lodger -n "__fish_lodger_using_subcommand generate-man" -l root -d 'Path of the image store (default: $XDG_DATA_HOME/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand generate-man" -l runroot -d 'Path of the per-boot runtime state (default: $XDG_RUNTIME_DIR/lodger)' -r -F
complete -c lodger -n "__fish_lodger_using_subcommand generate-man" -s h -l help -d 'Print help'
complete -c lodger -n "__fish_lodger_using_subcommand generate-man" -s V -l version -d 'Print version'
