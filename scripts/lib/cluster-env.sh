# The cluster topology's addresses (scripts/redis-cluster.sh, rabbitmq-cluster.sh, es-cluster.sh),
# exported for every planledger process. Source it; each variable already set is kept.
export REDIS_CLUSTER_NODES="${REDIS_CLUSTER_NODES:-127.0.0.1:7001,127.0.0.1:7002,127.0.0.1:7003}"
export AMQP_URLS="${AMQP_URLS:-amqp://guest:guest@127.0.0.1:5701,amqp://guest:guest@127.0.0.1:5702,amqp://guest:guest@127.0.0.1:5703}"
export AMQP_URL="${AMQP_URLS%%,*}"
export AMQP_QUORUM_GROUP_SIZE="${AMQP_QUORUM_GROUP_SIZE:-3}"
export ES_NODES="${ES_NODES:-http://127.0.0.1:9201,http://127.0.0.1:9202,http://127.0.0.1:9203}"
export ES_URL="${ES_NODES%%,*}"
export ES_REPLICAS="${ES_REPLICAS:-1}"
