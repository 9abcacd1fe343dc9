"""The HTTP surface of the exchange: routers, request dependencies, OpenAPI links and the body limit.
It may import the exchange's services, models, problems and store; the services never import it.
"""
