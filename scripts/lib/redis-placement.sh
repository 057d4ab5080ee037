# Each Redis stays on the node that holds its volume: stack.yml places them by these node labels.
# w2 holds none, so the kill-node drill loses no data. Sourced by swarm-lab.sh and swarm-machines.sh.

# label_redis_nodes RUN...: RUN... runs docker against the manager, e.g. "node_docker m1".
label_redis_nodes() {
  "$@" node update --label-add swarmshop.redis.customers=true m1 >/dev/null
  "$@" node update --label-add swarmshop.redis.products=true w1 >/dev/null
  "$@" node update --label-add swarmshop.redis.invoices=true m1 >/dev/null
}
