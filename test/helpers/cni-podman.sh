#!/bin/bash
# podman 4.3 with its CNI network backend driving netlink-ts-cni, for test/live/cni-podman.test.ts.
# Run inside tools/sandbox.sh (the test runs it under `unshare --mount`, so the mounts below stay
# private to this script): everything podman keeps lives under $1.
#   cni-podman.sh WORKDIR PLUGIN_JS
# What podman needs in this sandbox (a user namespace that maps only root, hybrid cgroups):
#   - cgroups="disabled" and a tmpfs over /sys/fs/cgroup (crun refuses hybrid mode even unused);
#   - --ulimit host (RLIMIT_NOFILE cannot be raised in a user namespace);
#   - an OCI runtime wrapper that drops the devpts gid=5 option (gid 5 is not mapped);
#   - a tmpfs on /var/lib/cni: libcni caches results there.
set -eu
W=$1 PLUGIN=$2
mount -t tmpfs nlts-cg /sys/fs/cgroup
mkdir -p /var/lib/cni 2>/dev/null || true
mount -t tmpfs nlts-cni /var/lib/cni
mkdir -p "$W"/rootfs/bin "$W"/rootfs/www "$W"/bin "$W"/net.d "$W"/root "$W"/run "$W"/tmp "$W"/data "$W"/rt
cp /usr/bin/busybox "$W"/rootfs/bin/busybox
for c in sh ip cat httpd wget sleep; do ln -sf busybox "$W"/rootfs/bin/$c; done
echo "hello from the container" > "$W"/rootfs/www/index.html
ln -sf "$PLUGIN" "$W"/bin/netlink-ts-cni
ln -sf "$PLUGIN" "$W"/bin/netlink-ts-portmap
cat > "$W"/rt/crun <<'R'
#!/bin/bash
args=("$@")
for ((i=0; i<${#args[@]}; i++)); do
  case "${args[$i]}" in --bundle|-b) b="${args[$((i+1))]}";; --bundle=*) b="${args[$i]#--bundle=}";; esac
done
if [ -n "${b:-}" ] && [ -f "$b/config.json" ]; then
  node -e 'const f=process.argv[1],fs=require("fs"),c=JSON.parse(fs.readFileSync(f));for(const m of c.mounts||[])if(m.type==="devpts")m.options=(m.options||[]).filter(o=>!o.startsWith("gid="));fs.writeFileSync(f,JSON.stringify(c))' "$b/config.json"
fi
exec /usr/bin/crun "$@"
R
chmod +x "$W"/rt/crun
cat > "$W"/net.d/nlts.conflist <<J
{ "cniVersion": "1.0.0", "name": "nlts",
  "plugins": [
    { "type": "netlink-ts-cni", "bridge": "nlts0", "isGateway": true, "ipMasq": true,
      "ipam": { "type": "host-local", "ranges": [[{ "subnet": "10.44.0.0/24" }]], "routes": [{ "dst": "0.0.0.0/0" }], "dataDir": "$W/data" } },
    { "type": "netlink-ts-portmap", "capabilities": { "portMappings": true } } ] }
J
cat > "$W"/containers.conf <<J
[containers]
netns="private"
cgroups="disabled"
default_ulimits=[]
[network]
network_backend="cni"
cni_plugin_dirs=["$W/bin", "/usr/lib/cni"]
network_config_dir="$W/net.d"
[engine]
cgroup_manager="cgroupfs"
events_logger="file"
tmp_dir="$W/tmp"
runtime="crun"
[engine.runtimes]
crun=["$W/rt/crun"]
J
export CONTAINERS_CONF="$W"/containers.conf
P=(podman --root "$W"/root --runroot "$W"/run --storage-driver vfs)
R=(--ulimit host --network nlts --rootfs "$W"/rootfs)
echo "== inside"
"${P[@]}" run --rm "${R[@]}" /bin/sh -c 'ip -4 -o addr show eth0; ip route'
echo "== web"
"${P[@]}" run -d --name web -p 8080:80 "${R[@]}" /bin/httpd -f -p 80 -h /www >/dev/null
echo "== via port mapping"
# httpd may take a moment to listen on a busy machine: retry for up to ~15 s.
for _ in $(seq 30); do
  a=$(timeout 5 bash -c 'exec 3<>/dev/tcp/10.44.0.1/8080; printf "GET / HTTP/1.0\r\n\r\n" >&3; cat <&3' 2>/dev/null | tail -1)
  [ -n "$a" ] && break
  sleep 0.5
done
echo "${a:-no answer}"
echo "== rules"
node --input-type=module -e "
const { NftHandle } = await import('$(dirname "$PLUGIN")/index.js');
const h = NftHandle.open(), n = (k) => h.listSync().rules.filter((r) => r.comment?.startsWith('netlink-ts-cni ' + k + ' ')).length;
console.log('portmap=' + n('portmap') + ' masq=' + n('masq')); h.close();"
echo "== reserved"
ls "$W"/data/nlts | grep '^10\.' || true
"${P[@]}" rm -f -t 0 web >/dev/null
echo "== after rm"
echo "reserved=$(ls "$W"/data/nlts | grep -c '^10\.')"
echo "== end"
